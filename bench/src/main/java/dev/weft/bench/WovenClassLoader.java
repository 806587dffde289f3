package dev.weft.bench;

import java.util.Map;

/**
 * A class loader that defines a fixed set of woven classes itself and asks its parent for
 * everything else, so that a woven copy of a benchmark subject lives beside the plain copy
 * the application class loader holds.
 *
 * <p>The two copies share a binary name but are distinct classes with distinct profiles, so
 * the JIT compiles each on its own: neither makes the other's call sites polymorphic. Woven
 * classes reach the plain world only through public types of the parent (interfaces such as
 * {@link ChainLoop}, {@code AsyncCallable}, the runtime), since a package of this loader is
 * not the same run-time package as the parent's package of the same name.
 */
final class WovenClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    /**
     * @param parent where every class not in {@code classes} comes from
     * @param classes woven class files by binary name
     */
    WovenClassLoader(ClassLoader parent, Map<String, byte[]> classes) {
        super("weft-woven", parent);
        this.classes = Map.copyOf(classes);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
