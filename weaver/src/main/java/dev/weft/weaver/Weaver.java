package dev.weft.weaver;

import dev.weft.weaver.analysis.ClassHierarchy;
import dev.weft.weaver.analysis.Names;
import dev.weft.weaver.analysis.TypedFrame;
import dev.weft.weaver.analysis.TypedInterpreter;
import dev.weft.weaver.transform.ClassEmitter;
import dev.weft.weaver.transform.MethodRefusal;
import dev.weft.weaver.transform.MethodWeaver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Rewrites the {@code @Async} methods of a class file into resumable state machines.
 *
 * <p>The weaver is a pure function of a class file and the class hierarchy: it never loads
 * or runs a user class, and weaving the same bytes against the same hierarchy always gives
 * the same bytes. A woven class carries a versioned marker, so a second weave returns it
 * unchanged. A class the weaver cannot prove correct is refused with a
 * {@link WeaveException} listing every problem, each naming file, line, method and fix.
 *
 * {@snippet :
 * Weaver weaver = new Weaver(new ClassHierarchy(ClassFileLocator.ofPath(classPath)), WeaveOptions.DEFAULT);
 * WeaveResult r = weaver.weave(Files.readAllBytes(classFile));   // throws WeaveException
 * if (r.status() == WeaveResult.Status.WOVEN) Files.write(classFile, r.bytes());
 * }
 *
 * <p>Thread-safe if its hierarchy is (the provided one is).
 */
public final class Weaver {
    /** The weaving format; bumped whenever woven code changes shape. */
    public static final int FORMAT_VERSION = 2;

    /** The newest class-file major version read: Java 25. */
    public static final int MAX_CLASS_VERSION = Opcodes.V25;

    private final ClassHierarchy hierarchy;
    private final WeaveOptions options;

    /**
     * @param hierarchy where supertypes and {@code @Async} annotations are read
     * @param options the mode
     */
    public Weaver(ClassHierarchy hierarchy, WeaveOptions options) {
        this.hierarchy = hierarchy;
        this.options = options;
    }

    /** @return the hierarchy this weaver reads */
    public ClassHierarchy hierarchy() {
        return hierarchy;
    }

    /**
     * Weaves one class file.
     *
     * @param classFile the bytes of a class file
     * @return the outcome, with the bytes to write
     * @throws WeaveException listing every problem, if the class cannot be woven
     */
    public WeaveResult weave(byte[] classFile) throws WeaveException {
        if (classFile.length < 10 || (classFile[0] & 0xFF) != 0xCA || (classFile[1] & 0xFF) != 0xFE
                || (classFile[2] & 0xFF) != 0xBA || (classFile[3] & 0xFF) != 0xBE) {
            throw new WeaveException("<not a class file>", List.of(new WeaveProblem(ProblemKind.NOT_A_CLASS_FILE,
                    "<input>", -1, "<not a class file>", null, null, "is not a class file (no 0xCAFEBABE magic "
                    + "number, " + classFile.length + " bytes). Fix: pass compiled .class files, directories or jars.",
                    false)));
        }
        int major = ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
        String name = classNameOf(classFile);
        if (major > MAX_CLASS_VERSION) {
            throw new WeaveException(name, List.of(new WeaveProblem(ProblemKind.CLASS_VERSION,
                    name.replace('.', '/') + ".class", -1, name, null, null, "class file version " + major + " (Java "
                    + (major - 44) + ") is newer than this weaver reads (up to Java " + (MAX_CLASS_VERSION - 44)
                    + "). Fix: use a newer Weft, or compile with --release " + (MAX_CLASS_VERSION - 44) + " or lower.",
                    false)));
        }
        ClassNode cn = read(classFile);
        Integer marker = markerVersion(cn);
        if (marker != null) {
            if (marker == FORMAT_VERSION || marker == 0) {
                return new WeaveResult(name, WeaveResult.Status.ALREADY_WOVEN, classFile, 0, 0, List.of(), List.of());
            }
            throw new WeaveException(name, List.of(new WeaveProblem(ProblemKind.WOVEN_BY_OTHER_VERSION,
                    name.replace('.', '/') + ".class", -1, name, null, null, "was woven with weaving format " + marker
                    + ", but this weaver writes format " + FORMAT_VERSION + ". Fix: rebuild it from source.", false)));
        }
        hierarchy.define(classFile);
        ClassPlanner planner = new ClassPlanner(hierarchy, options, cn);
        List<ClassPlanner.Plan> plans = planner.plan();
        List<WeaveProblem> problems = new ArrayList<>(planner.problems());
        List<MethodNode> woven = new ArrayList<>();
        Map<MethodNode, MethodNode> backups = new IdentityHashMap<>();
        Map<MethodNode, WovenMethod> explained = new IdentityHashMap<>();
        if (problems.isEmpty()) {
            for (ClassPlanner.Plan plan : plans) {
                MethodNode backup = copy(plan.method());
                try {
                    WovenMethod report = weaveMethod(cn, plan);
                    explained.put(plan.method(), report);
                    woven.add(plan.method());
                    backups.put(plan.method(), backup);
                } catch (MethodRefusal r) {
                    restore(cn, plan.method(), backup);
                    if (!options.instrumentAll()) {
                        problems.add(planner.problem(r.kind, r.line, plan.method(), r.getMessage()));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new WeaveException(name, problems);
        }
        if (woven.isEmpty()) {
            return new WeaveResult(name, WeaveResult.Status.UNCHANGED, classFile, 0, 0, planner.warnings(), List.of());
        }
        ClassEmitter.Emitted out = new ClassEmitter(hierarchy, options).emit(cn, woven, FORMAT_VERSION);
        while (options.instrumentAll() && !out.problems().isEmpty()) {
            // Instrument-all leaves plain what it cannot weave, and tries again without it.
            for (ClassEmitter.MethodProblem p : out.problems()) {
                restore(cn, p.method(), backups.get(p.method()));
                woven.remove(p.method());
            }
            if (woven.isEmpty()) {
                return new WeaveResult(name, WeaveResult.Status.UNCHANGED, classFile, 0, 0, planner.warnings(), List.of());
            }
            out = new ClassEmitter(hierarchy, options).emit(cn, woven, FORMAT_VERSION);
        }
        if (!out.problems().isEmpty()) {
            List<WeaveProblem> emitted = new ArrayList<>();
            for (ClassEmitter.MethodProblem p : out.problems()) {
                emitted.add(planner.problem(p.kind(), -1, p.method(), Names.method(cn.name, p.method().name,
                        p.method().desc) + " " + p.message()));
            }
            throw new WeaveException(name, emitted);
        }
        List<WovenMethod> reports = new ArrayList<>();
        for (MethodNode m : cn.methods) {
            WovenMethod r = explained.get(m);
            if (r != null && woven.contains(m)) {
                reports.add(r);
            }
        }
        int points = reports.stream().mapToInt(r -> r.points().size()).sum();
        return new WeaveResult(name, WeaveResult.Status.WOVEN, out.bytes(), out.wovenMethods(), points,
                planner.warnings(), List.copyOf(reports));
    }

    private WovenMethod weaveMethod(ClassNode cn, ClassPlanner.Plan plan) throws MethodRefusal {
        MethodNode m = plan.method();
        Frame<BasicValue>[] frames = analyze(cn, m);
        if (!plan.sites().isEmpty() && MethodWeaver.prepare(m, plan.sites(), frames, plan.lines())) {
            frames = analyze(cn, m);
        }
        return new MethodWeaver(cn.name, m, plan.sites(), frames, plan.lines(), plan.announcedAs(), cn.sourceFile).weave();
    }

    private Frame<BasicValue>[] analyze(ClassNode cn, MethodNode m) throws MethodRefusal {
        try {
            return TypedFrame.analyze(new TypedInterpreter(hierarchy, cn.name, cn.superName, cn.interfaces,
                    (cn.access & Opcodes.ACC_INTERFACE) != 0, false), cn.name, m);
        } catch (AnalyzerException | RuntimeException e) {
            throw MethodWeaver.analysisFailed(e);
        }
    }

    private static ClassNode read(byte[] classFile) {
        ClassNode cn = new ClassNode(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return new JSRInlinerAdapter(mv, access, name, descriptor, signature, exceptions);
            }
        };
        new ClassReader(classFile).accept(cn, ClassReader.SKIP_FRAMES);
        return cn;
    }

    private static Integer markerVersion(ClassNode cn) {
        for (List<AnnotationNode> list : Arrays.asList(cn.visibleAnnotations, cn.invisibleAnnotations)) {
            if (list == null) {
                continue;
            }
            for (AnnotationNode a : list) {
                if (ClassEmitter.WOVEN_DESC.equals(a.desc)) {
                    return a.values != null && a.values.size() == 2 ? (Integer) a.values.get(1) : -1;
                }
            }
        }
        return null;
    }

    private static MethodNode copy(MethodNode m) {
        MethodNode c = new MethodNode(Opcodes.ASM9, m.access, m.name, m.desc, m.signature,
                m.exceptions.toArray(new String[0]));
        m.accept(c);
        return c;
    }

    private static void restore(ClassNode cn, MethodNode broken, MethodNode backup) {
        cn.methods.set(cn.methods.indexOf(broken), backup);
    }

    /**
     * Returns the binary name of the class in a class file, reading only its header.
     *
     * @param classFile the bytes
     * @return e.g. {@code a.b.C}
     */
    public static String classNameOf(byte[] classFile) {
        try {
            return new ClassReader(classFile).getClassName().replace('/', '.');
        } catch (IllegalArgumentException e) {
            return "<unreadable class file>";
        }
    }
}
