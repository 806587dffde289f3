package dev.weft.weaver.analysis;

import java.util.List;
import java.util.Map;

/**
 * What the weaver needs to know of one class: its place in the hierarchy and which of its
 * methods are {@code @Async}. Read from the class file, never from a loaded class.
 *
 * @param name internal name
 * @param superName internal name of the superclass, null for {@code java/lang/Object}
 * @param interfaces internal names of the direct superinterfaces
 * @param access the class's access flags
 * @param methods methods by {@code name + descriptor}
 * @param sourceFile the SourceFile attribute, or null
 */
public record ClassInfo(String name, String superName, List<String> interfaces, int access,
                        Map<String, MethodInfo> methods, String sourceFile) {

    /**
     * One declared method.
     *
     * @param access access flags
     * @param async whether it carries {@code @Async}
     */
    public record MethodInfo(int access, boolean async) {
    }

    /** @return whether this is an interface */
    public boolean isInterface() {
        return (access & org.objectweb.asm.Opcodes.ACC_INTERFACE) != 0;
    }
}
