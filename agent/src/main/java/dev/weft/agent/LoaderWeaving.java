package dev.weft.agent;

import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import dev.weft.weaver.analysis.ClassInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The weaving state of one class loader: a {@link ClassHierarchy} that reads class files
 * through that loader's {@link ClassLoader#getResourceAsStream}, the {@link Weaver} over it, and
 * a cache of which classes are <em>async owners</em>.
 *
 * <p>A class is an async owner if it or one of its supertypes declares an {@code @Async}
 * method. The weaver's decisions about a class depend only on the {@code @Async} methods of
 * the class itself and of the classes it names (call owners, supertypes, method-reference
 * owners, the functional interfaces of its lambdas), each resolved through its supertypes. So
 * a class that does not mention {@code @Async} and names no async owner is one the weaver
 * would return unchanged, with no problem: {@link #isCandidate} is exactly that test.
 *
 * <p>Holds its loader weakly, so that a cache kept per loader does not keep the loader alive.
 * Thread-safe: the hierarchy and the owner cache are concurrent, and reading a class twice
 * is harmless.
 */
final class LoaderWeaving {
    private final ClassHierarchy hierarchy;
    private final Weaver weaver;
    /**
     * Written and read by every thread that loads a class through this loader.
     * Invariant: a name maps to whether it is an async owner, as {@link #isAsyncOwner} defines it.
     */
    private final Map<String, Boolean> asyncOwners = new ConcurrentHashMap<>();

    /** @param loader the loader whose classes are woven; held weakly */
    LoaderWeaving(ClassLoader loader) {
        WeakReference<ClassLoader> ref = new WeakReference<>(loader);
        ClassFileLocator locator = name -> {
            ClassLoader l = ref.get();
            if (l == null) {
                return null;
            }
            try (InputStream in = l.getResourceAsStream(name + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name + ".class through " + l, e);
            }
        };
        this.hierarchy = new ClassHierarchy(locator);
        this.weaver = new Weaver(hierarchy, WeaveOptions.DEFAULT);
    }

    /** @return the weaver for classes of this loader */
    Weaver weaver() {
        return weaver;
    }

    /**
     * Returns whether the weaver could change or refuse the class summarized: it mentions
     * {@code @Async}, or names an async owner.
     *
     * @param summary the class's constant pool summary
     * @return whether the class must go through the weaver
     * @throws UncheckedIOException if a class file cannot be read through the loader
     */
    boolean isCandidate(ConstantPoolSummary summary) {
        if (summary.mentionsAsync()) {
            return true;
        }
        for (String name : summary.namedClasses()) {
            if (isAsyncOwner(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether {@code internalName} or one of its supertypes declares an {@code @Async}
     * method. The JDK's own classes never do, and are not read.
     *
     * @param internalName e.g. {@code a/b/C}
     * @return whether it is an async owner; false if its class file cannot be found
     */
    boolean isAsyncOwner(String internalName) {
        if (AgentOptions.isJdkClass(internalName)) {
            return false;
        }
        Boolean known = asyncOwners.get(internalName);
        if (known != null) {
            return known;
        }
        boolean owner = declaresAsyncOrInherits(internalName);
        asyncOwners.put(internalName, owner);
        return owner;
    }

    /** Walks the supertypes breadth first, stopping at the JDK, whose classes never declare @Async. */
    private boolean declaresAsyncOrInherits(String internalName) {
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(internalName));
        Set<String> seen = new HashSet<>(queue);
        while (!queue.isEmpty()) {
            String c = queue.poll();
            Boolean known = asyncOwners.get(c);
            if (known != null) {
                if (known) {
                    return true;
                }
                continue;
            }
            Optional<ClassInfo> info = hierarchy.find(c);
            if (info.isEmpty()) {
                continue;
            }
            if (info.get().methods().values().stream().anyMatch(ClassInfo.MethodInfo::async)) {
                return true;
            }
            List<String> direct = new ArrayList<>(info.get().interfaces());
            if (info.get().superName() != null) {
                direct.add(info.get().superName());
            }
            for (String s : direct) {
                if (!AgentOptions.isJdkClass(s) && seen.add(s)) {
                    queue.add(s);
                }
            }
        }
        return false;
    }
}
