package dev.weft.weaver.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class hierarchy as class files describe it, with a cache: superclasses, interfaces,
 * and which methods are {@code @Async}.
 *
 * <p>One instance serves one class path (the plugin's compile class path, or one class
 * loader for the agent). Classes are read through a {@link ClassFileLocator} and never
 * loaded. Thread-safe: the cache is concurrent, and reading a class twice is harmless.
 */
public final class ClassHierarchy {
    /** Descriptor of the annotation that marks async methods. */
    public static final String ASYNC_DESCRIPTOR = "Ldev/weft/annotation/Async;";

    private static final ClassInfo MISSING = new ClassInfo("", null, List.of(), 0, Map.of(), null);

    private final ClassFileLocator locator;
    private final Map<String, ClassInfo> cache = new ConcurrentHashMap<>();

    /**
     * Creates a hierarchy reading through {@code locator}, then the JDK's own classes.
     *
     * @param locator where user and library classes are found
     */
    public ClassHierarchy(ClassFileLocator locator) {
        this.locator = ClassFileLocator.first(List.of(locator, ClassFileLocator.system()));
    }

    /**
     * Records {@code bytes} as the class file of its class, replacing what the locator
     * would find: the class being woven is described by the bytes being woven.
     *
     * @param bytes a class file
     * @return what was read
     */
    public ClassInfo define(byte[] bytes) {
        ClassInfo info = read(bytes);
        cache.put(info.name(), info);
        return info;
    }

    /**
     * Returns what the class file of {@code internalName} says, if it can be found.
     *
     * @param internalName e.g. {@code a/b/C}
     * @return the class, or empty if no class file is found
     */
    public Optional<ClassInfo> find(String internalName) {
        ClassInfo info = cache.get(internalName);
        if (info == null) {
            byte[] bytes = internalName.startsWith("[") ? null : locator.find(internalName);
            info = bytes == null ? MISSING : read(bytes);
            cache.put(internalName, info);
        }
        return info == MISSING ? Optional.empty() : Optional.of(info);
    }

    /**
     * Resolves a call's static target as JVMS 5.4.3.3 and 5.4.3.4 do (the class, its
     * superclasses, then its superinterfaces) and returns whether that method is async.
     *
     * @param owner the class named at the call site
     * @param name the method name
     * @param descriptor the method descriptor
     * @return the resolution; {@link Resolution#UNRESOLVED} if a class on the way is missing
     */
    public Resolution resolve(String owner, String name, String descriptor) {
        if (owner.startsWith("[")) {
            return Resolution.SYNC;
        }
        String key = name + descriptor;
        boolean missing = false;
        for (String c = owner; c != null; ) {
            Optional<ClassInfo> info = find(c);
            if (info.isEmpty()) {
                missing = true;
                break;
            }
            ClassInfo.MethodInfo m = info.get().methods().get(key);
            if (m != null) {
                return m.async() ? Resolution.ASYNC : Resolution.SYNC;
            }
            c = info.get().superName();
        }
        for (String itf : allSupertypes(owner)) {
            Optional<ClassInfo> info = find(itf);
            if (info.isEmpty()) {
                missing = true;
                continue;
            }
            if (!info.get().isInterface()) {
                continue;
            }
            ClassInfo.MethodInfo m = info.get().methods().get(key);
            if (m != null && (m.access() & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) == 0) {
                return m.async() ? Resolution.ASYNC : Resolution.SYNC;
            }
        }
        return missing ? Resolution.UNRESOLVED : Resolution.SYNC;
    }

    /** How a call's static target resolved. */
    public enum Resolution {
        /** The method is {@code @Async}. */
        ASYNC,
        /** The method is found and is not {@code @Async}. */
        SYNC,
        /** A class on the way could not be read; treated as not async. */
        UNRESOLVED
    }

    /**
     * Returns every proper supertype of {@code internalName} (classes and interfaces),
     * nearest first, each once. Missing classes end their branch.
     *
     * @param internalName the class
     * @return the supertypes
     */
    public List<String> allSupertypes(String internalName) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(internalName);
        while (!queue.isEmpty()) {
            String c = queue.poll();
            Optional<ClassInfo> info = find(c);
            if (info.isEmpty()) {
                continue;
            }
            List<String> direct = new ArrayList<>();
            if (info.get().superName() != null) {
                direct.add(info.get().superName());
            }
            direct.addAll(info.get().interfaces());
            for (String s : direct) {
                if (seen.add(s)) {
                    out.add(s);
                    queue.add(s);
                }
            }
        }
        return out;
    }

    /**
     * Returns whether {@code type} is an interface; false if its class file is missing.
     *
     * @param internalName the class
     * @return whether it is an interface
     */
    public boolean isInterface(String internalName) {
        return find(internalName).map(ClassInfo::isInterface).orElse(false);
    }

    /**
     * Returns whether a value of class {@code sub} may be assigned to {@code sup}: equal,
     * a subclass, or an implementation. Unknown classes are treated as assignable, since the
     * weaver must not invent a conflict the JVM would not see.
     *
     * @param sup the target type, internal name
     * @param sub the value's type, internal name
     * @return whether the assignment is allowed
     */
    public boolean isAssignable(String sup, String sub) {
        if (sup.equals(sub) || sup.equals("java/lang/Object")) {
            return true;
        }
        if (find(sub).isEmpty() || find(sup).isEmpty()) {
            return true;
        }
        return allSupertypes(sub).contains(sup);
    }

    /**
     * Returns the nearest common superclass of two classes, as the JVM's verifier merges
     * them: {@code java/lang/Object} if either is an interface or missing.
     *
     * @param a internal name
     * @param b internal name
     * @return the common superclass
     */
    public String commonSuperClass(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if (isInterface(a) || isInterface(b) || find(a).isEmpty() || find(b).isEmpty()) {
            return "java/lang/Object";
        }
        List<String> chainOfB = new ArrayList<>();
        for (String c = b; c != null; c = find(c).map(ClassInfo::superName).orElse(null)) {
            chainOfB.add(c);
        }
        for (String c = a; c != null; c = find(c).map(ClassInfo::superName).orElse(null)) {
            if (chainOfB.contains(c)) {
                return c;
            }
        }
        return "java/lang/Object";
    }

    /**
     * Reads the parts of a class file the hierarchy needs.
     *
     * @param bytes a class file
     * @return its description
     */
    public static ClassInfo read(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        Map<String, ClassInfo.MethodInfo> methods = new LinkedHashMap<>();
        String[] source = new String[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visitSource(String file, String debug) {
                source[0] = file;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                String key = name + descriptor;
                methods.put(key, new ClassInfo.MethodInfo(access, false));
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                        if (ASYNC_DESCRIPTOR.equals(desc)) {
                            methods.put(key, new ClassInfo.MethodInfo(access, true));
                        }
                        return null;
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        String[] itfs = reader.getInterfaces();
        return new ClassInfo(reader.getClassName(), reader.getSuperName(),
                itfs == null ? List.of() : List.of(itfs), reader.getAccess(),
                Collections.unmodifiableMap(methods), source[0]);
    }
}
