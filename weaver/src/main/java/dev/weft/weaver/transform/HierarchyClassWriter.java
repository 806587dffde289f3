package dev.weft.weaver.transform;

import dev.weft.weaver.analysis.ClassHierarchy;
import org.objectweb.asm.ClassWriter;

/** A class writer that computes frames with the hierarchy read from class files, never loading a class. */
final class HierarchyClassWriter extends ClassWriter {
    private final ClassHierarchy hierarchy;

    HierarchyClassWriter(ClassHierarchy hierarchy) {
        super(COMPUTE_FRAMES);
        this.hierarchy = hierarchy;
    }

    @Override
    protected String getCommonSuperClass(String a, String b) {
        return hierarchy.commonSuperClass(a, b);
    }
}
