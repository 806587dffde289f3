package dev.weft.weaver.transform;

import dev.weft.weaver.ProblemKind;
import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.analysis.ClassHierarchy;
import dev.weft.weaver.analysis.TypedFrame;
import dev.weft.weaver.analysis.TypedInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Writes a woven class: frames recomputed from the class hierarchy, the versioned marker
 * added, and (when asked) every woven method verified before the bytes are handed back.
 */
public final class ClassEmitter {
    /** Descriptor of the marker annotation left on woven classes. */
    public static final String WOVEN_DESC = RuntimeNames.WOVEN_DESC;

    private final ClassHierarchy hierarchy;
    private final WeaveOptions options;

    /**
     * @param hierarchy used for frames and verification
     * @param options whether to verify
     */
    public ClassEmitter(ClassHierarchy hierarchy, WeaveOptions options) {
        this.hierarchy = hierarchy;
        this.options = options;
    }

    /**
     * A method that could not be written or did not verify.
     *
     * @param method the method
     * @param kind what went wrong
     * @param message the reason and fix, without the method's name
     */
    public record MethodProblem(MethodNode method, ProblemKind kind, String message) {
    }

    /**
     * The written class.
     *
     * @param bytes the class file, or null if there are problems
     * @param wovenMethods how many methods were woven
     * @param problems methods that could not be written or verified
     */
    public record Emitted(byte[] bytes, int wovenMethods, List<MethodProblem> problems) {
    }

    /**
     * @param cn the class, its woven methods already rewritten
     * @param woven the rewritten methods
     * @param formatVersion the marker's version
     * @return the class file, or the methods that stop it
     */
    public Emitted emit(ClassNode cn, List<MethodNode> woven, int formatVersion) {
        if (cn.visibleAnnotations == null) {
            cn.visibleAnnotations = new ArrayList<>();
        }
        cn.visibleAnnotations.removeIf(a -> a.desc.equals(WOVEN_DESC));
        AnnotationNode marker = new AnnotationNode(WOVEN_DESC);
        marker.values = new ArrayList<>(List.of("value", formatVersion));
        cn.visibleAnnotations.add(marker); // visible: the runtime asks frames' classes for it
        if ((cn.version & 0xFFFF) < Opcodes.V1_6) {
            // Woven code is verified by type checking: StackMapTable frames exist from Java 6 class files on.
            cn.version = Opcodes.V1_6;
        }
        HierarchyClassWriter writer = new HierarchyClassWriter(hierarchy);
        byte[] bytes;
        try {
            cn.accept(writer);
            bytes = writer.toByteArray();
        } catch (MethodTooLargeException e) {
            MethodNode m = find(cn, e.getMethodName(), e.getDescriptor());
            return new Emitted(null, 0, List.of(new MethodProblem(m, ProblemKind.METHOD_TOO_LARGE, "is too large "
                    + "once woven (" + e.getCodeSize() + " bytes of code; the JVM allows 65535). Fix: split it into "
                    + "smaller methods.")));
        } catch (RuntimeException e) {
            MethodNode m = woven.get(0);
            return new Emitted(null, 0, List.of(new MethodProblem(m, ProblemKind.VERIFY_FAILED,
                    "could not be written (" + e + "). This is a Weft bug: please report it with the class file.")));
        }
        if (options.verify()) {
            List<MethodProblem> problems = verify(bytes, cn, woven);
            if (!problems.isEmpty()) {
                return new Emitted(null, 0, problems);
            }
        }
        return new Emitted(bytes, woven.size(), List.of());
    }

    private List<MethodProblem> verify(byte[] bytes, ClassNode original, List<MethodNode> woven) {
        List<MethodProblem> problems = new ArrayList<>();
        Set<String> names = woven.stream().map(m -> m.name + m.desc).collect(Collectors.toSet());
        try {
            // Structure only: the typed analysis below checks data flow against the class hierarchy.
            new ClassReader(bytes).accept(new CheckClassAdapter(new ClassVisitor(Opcodes.ASM9) { }, false), 0);
        } catch (RuntimeException e) {
            problems.add(new MethodProblem(woven.get(0), ProblemKind.VERIFY_FAILED, "failed ASM's CheckClassAdapter "
                    + "once woven (" + e.getMessage() + "). This is a Weft bug: please report it with the class file."));
            return problems;
        }
        ClassNode back = new ClassNode();
        new ClassReader(bytes).accept(back, 0);
        for (MethodNode m : back.methods) {
            if (!names.contains(m.name + m.desc)) {
                continue;
            }
            try {
                TypedFrame.analyze(new TypedInterpreter(hierarchy, back.name, back.superName, back.interfaces,
                        (back.access & Opcodes.ACC_INTERFACE) != 0, true), back.name, m);
            } catch (AnalyzerException | RuntimeException e) {
                problems.add(new MethodProblem(find(original, m.name, m.desc), ProblemKind.VERIFY_FAILED,
                        "does not verify once woven (" + e.getMessage() + "). This is a Weft bug: please report it "
                                + "with the class file."));
            }
        }
        return problems;
    }

    private static MethodNode find(ClassNode cn, String name, String desc) {
        for (MethodNode m : cn.methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return m;
            }
        }
        throw new IllegalStateException("no method " + name + desc + " in " + cn.name);
    }
}
