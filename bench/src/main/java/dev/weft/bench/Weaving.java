package dev.weft.bench;

import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gets woven code into a benchmark without a build plugin: reads the class files of the
 * subject classes from the class path, weaves them as the Maven plugin would
 * ({@link WeaveOptions#DEFAULT}), and defines them in a child-first {@link WovenClassLoader}.
 * The plain subjects stay what the application class loader loaded, so one benchmark can
 * call the same source woven and unwoven.
 *
 * <p>Set {@code -Dweft.bench.dump=DIR} to write the woven class files there, for
 * {@code javap -c -p}.
 */
public final class Weaving {
    private Weaving() {
    }

    /**
     * Weaves {@code subjects} and loads the woven copies.
     *
     * @param subjects classes with {@code @Async} methods, loaded plainly by the caller's loader
     * @return a loader that defines the woven copy of each subject and delegates everything else
     * @throws IllegalStateException if a subject does not weave, or has nothing to weave
     */
    public static ClassLoader load(Class<?>... subjects) {
        ClassLoader parent = Weaving.class.getClassLoader();
        Weaver weaver = new Weaver(new ClassHierarchy(resourcesOf(parent)), WeaveOptions.DEFAULT);
        Map<String, byte[]> woven = new LinkedHashMap<>();
        for (Class<?> subject : subjects) {
            byte[] plain = resourcesOf(parent).find(subject.getName().replace('.', '/'));
            WeaveResult r;
            try {
                r = weaver.weave(plain);
            } catch (WeaveException e) {
                throw new IllegalStateException("benchmark subject " + subject.getName() + " does not weave: "
                        + e.getMessage(), e);
            }
            if (r.status() != WeaveResult.Status.WOVEN) {
                throw new IllegalStateException("benchmark subject " + subject.getName() + " was not woven: expected "
                        + "WOVEN, but was " + r.status() + " (is the class path missing weft-annotations?)");
            }
            woven.put(subject.getName(), r.bytes());
        }
        dump(woven);
        return new WovenClassLoader(parent, woven);
    }

    /**
     * Makes an instance of the woven copy of {@code subject}.
     *
     * @param loader from {@link #load(Class[])}
     * @param subject the plain class
     * @param as the public interface of the parent loader to see it through
     * @param args constructor arguments; their classes must match the parameter types exactly
     * @param <T> the interface
     * @return the woven instance
     */
    public static <T> T newWoven(ClassLoader loader, Class<?> subject, Class<T> as, Object... args) {
        try {
            Class<?> c = Class.forName(subject.getName(), true, loader);
            if (c == subject) {
                throw new IllegalStateException(subject.getName() + " came from the parent loader, not the woven one");
            }
            Class<?>[] types = new Class<?>[args.length];
            for (int i = 0; i < args.length; i++) {
                types[i] = unbox(args[i].getClass());
            }
            return as.cast(c.getConstructor(types).newInstance(args));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the woven " + subject.getName() + ": " + e, e);
        }
    }

    private static Class<?> unbox(Class<?> c) {
        if (c == Integer.class) {
            return int.class;
        }
        if (c == Boolean.class) {
            return boolean.class;
        }
        return c;
    }

    /**
     * Prints {@link #fastCarrierWarning()}, if any, unless the benchmark measures virtual
     * threads: the per-iteration check every Weft benchmark makes.
     *
     * @param params the running benchmark's parameters
     */
    public static void warnIfSlowCarrier(org.openjdk.jmh.infra.BenchmarkParams params) {
        if (!params.getBenchmark().contains(".virtualThread")) {
            String warning = fastCarrierWarning();
            if (warning != null) {
                System.out.println(warning);
            }
        }
    }

    /**
     * Says whether the calling thread owns the runtime's fast carrier slot (a static field,
     * claimed by the first thread that runs a continuation). A thread that does not own it
     * finds its continuation through a {@code ThreadLocal}, about ten times slower per woven
     * call, so a benchmark thread that does not own it measures the wrong path.
     *
     * @return null if it does, else a warning to print
     */
    public static String fastCarrierWarning() {
        try {
            Class<?> carrier = Class.forName("dev.weft.internal.Carrier");
            Field fast = carrier.getDeclaredField("fast");
            fast.setAccessible(true);
            Object f = fast.get(null);
            if (f == null) {
                return "[weft-bench] no thread owns the fast carrier slot yet";
            }
            Field thread = carrier.getDeclaredField("thread");
            thread.setAccessible(true);
            Object owner = thread.get(f);
            return owner == Thread.currentThread() ? null : "[weft-bench] WARNING: the fast carrier slot is owned by "
                    + owner + ", not by the benchmark thread " + Thread.currentThread()
                    + ": woven calls here take the ThreadLocal path, and the figures are wrong";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "[weft-bench] cannot check the fast carrier slot (" + e + ")";
        }
    }

    /**
     * A locator that reads class files as resources of {@code loader}: the agent's way, and
     * it works the same from the shaded jar, from Maven's test class path and from an IDE.
     */
    static ClassFileLocator resourcesOf(ClassLoader loader) {
        return name -> {
            try (InputStream in = loader.getResourceAsStream(name + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static void dump(Map<String, byte[]> woven) {
        String dir = System.getProperty("weft.bench.dump");
        if (dir == null) {
            return;
        }
        try {
            for (Map.Entry<String, byte[]> e : woven.entrySet()) {
                Path f = Path.of(dir, e.getKey().replace('.', '/') + ".class");
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump woven classes to " + dir, e);
        }
    }
}
