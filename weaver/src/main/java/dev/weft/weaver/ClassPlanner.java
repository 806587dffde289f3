package dev.weft.weaver;

import dev.weft.weaver.analysis.ClassHierarchy;
import dev.weft.weaver.analysis.ClassInfo;
import dev.weft.weaver.analysis.MonitorDepth;
import dev.weft.weaver.analysis.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides, for one class, which methods are woven and which of their calls are suspension
 * points, and checks the static rules of {@code @Async} (see the annotation's Javadoc),
 * collecting every problem rather than stopping at the first.
 */
final class ClassPlanner {
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    private final ClassHierarchy hierarchy;
    private final WeaveOptions options;
    private final ClassNode cn;
    private final String file;
    private final List<WeaveProblem> problems = new ArrayList<>();
    private final List<WeaveProblem> warnings = new ArrayList<>();
    /** Synthetic lambda bodies of this class, by name + descriptor, with the functional interface they implement. */
    private final Map<String, LambdaUse> lambdas = new HashMap<>();

    /** Where a lambda body of this class is used. */
    record LambdaUse(String itf, String samName, String samDesc, boolean async, String enclosing) {
    }

    /**
     * A method to weave and its suspension points, in code order.
     *
     * @param announcedAs the name its woven callers announce: its own, or for a lambda body the
     *     functional interface method's, which is what the call site names
     */
    record Plan(MethodNode method, List<MethodInsnNode> sites, Map<AbstractInsnNode, Integer> lines,
                String announcedAs) {
    }

    ClassPlanner(ClassHierarchy hierarchy, WeaveOptions options, ClassNode cn) {
        this.hierarchy = hierarchy;
        this.options = options;
        this.cn = cn;
        String pkg = cn.name.contains("/") ? cn.name.substring(0, cn.name.lastIndexOf('/') + 1) : "";
        String outer = cn.name.substring(pkg.length());
        int dollar = outer.indexOf('$');
        this.file = pkg + (cn.sourceFile != null ? cn.sourceFile
                : (dollar > 0 ? outer.substring(0, dollar) : outer) + ".class");
    }

    List<WeaveProblem> problems() {
        return problems;
    }

    List<WeaveProblem> warnings() {
        return warnings;
    }

    String file() {
        return file;
    }

    WeaveProblem problem(ProblemKind kind, int line, MethodNode m, String message) {
        return new WeaveProblem(kind, file, line, Names.binary(cn.name), m == null ? null : m.name,
                m == null ? null : m.desc, message, kind == ProblemKind.UNRESOLVED_CLASS);
    }

    /** @return the methods to weave; {@link #problems()} holds what stops the weave */
    List<Plan> plan() {
        scanLambdas();
        List<Plan> plans = new ArrayList<>();
        for (MethodNode m : cn.methods) {
            Map<AbstractInsnNode, Integer> lines = lines(m);
            boolean async = isAsync(m);
            boolean declared = isDeclaredAsync(m);
            boolean special = m.name.equals("<init>") || m.name.equals("<clinit>");
            if (!options.instrumentAll()) {
                if (declared && special) {
                    problems.add(problem(ProblemKind.ASYNC_NOT_ALLOWED, firstLine(m), m, display(m)
                            + " is marked @Async, but " + (m.name.equals("<init>") ? "constructors" : "static initializers")
                            + " never suspend. Fix: move the async work into an @Async factory or init method."));
                    continue;
                }
                if (declared && (m.access & Opcodes.ACC_NATIVE) != 0) {
                    problems.add(problem(ProblemKind.ASYNC_NOT_ALLOWED, -1, m, display(m)
                            + " is native and marked @Async; native code cannot suspend. Fix: remove @Async, or wrap "
                            + "the native call in Weft.runInThread from an @Async method."));
                    continue;
                }
                checkOverride(m, declared);
                checkMethodReferences(m, lines);
            }
            if (m.instructions.size() == 0 || special && !options.instrumentAll()) {
                if (special) {
                    reportAsyncCalls(m, lines);
                }
                continue;
            }
            if (special) {
                continue; // instrument-all: constructors and initializers are never woven
            }
            if (options.instrumentAll()) {
                plans.add(new Plan(m, allModeSites(m), lines, announcedAs(m)));
            } else if (async) {
                List<MethodInsnNode> sites = asyncSites(m, lines);
                checkMonitors(m, sites, lines);
                plans.add(new Plan(m, sites, lines, announcedAs(m)));
            } else {
                reportAsyncCalls(m, lines);
            }
        }
        return plans;
    }

    // ---------------------------------------------------------------- async-ness

    private boolean isDeclaredAsync(MethodNode m) {
        if (m.invisibleAnnotations != null) {
            for (AnnotationNode a : m.invisibleAnnotations) {
                if (ClassHierarchy.ASYNC_DESCRIPTOR.equals(a.desc)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isAsync(MethodNode m) {
        if (isDeclaredAsync(m)) {
            return true;
        }
        LambdaUse use = lambdas.get(m.name + m.desc);
        return use != null && use.async();
    }

    private void scanLambdas() {
        for (MethodNode m : cn.methods) {
            for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof InvokeDynamicInsnNode indy && indy.bsm.getOwner().equals(LAMBDA_METAFACTORY)
                        && indy.bsmArgs.length >= 3 && indy.bsmArgs[1] instanceof Handle impl) {
                    String itf = Type.getReturnType(indy.desc).getInternalName();
                    String samDesc = ((Type) indy.bsmArgs[0]).getDescriptor();
                    boolean async = hierarchy.resolve(itf, indy.name, samDesc) == ClassHierarchy.Resolution.ASYNC;
                    if (impl.getOwner().equals(cn.name) && isSynthetic(impl)) {
                        lambdas.merge(impl.getName() + impl.getDesc(),
                                new LambdaUse(itf, indy.name, samDesc, async, m.name + m.desc),
                                (a, b) -> a.async() ? a : b);
                    }
                }
            }
        }
    }

    private boolean isSynthetic(Handle impl) {
        for (MethodNode m : cn.methods) {
            if (m.name.equals(impl.getName()) && m.desc.equals(impl.getDesc())) {
                return (m.access & Opcodes.ACC_SYNTHETIC) != 0;
            }
        }
        return false;
    }

    private String announcedAs(MethodNode m) {
        LambdaUse use = lambdas.get(m.name + m.desc);
        return use != null && use.async() ? use.samName() : m.name;
    }

    private List<MethodInsnNode> asyncSites(MethodNode m, Map<AbstractInsnNode, Integer> lines) {
        List<MethodInsnNode> sites = new ArrayList<>();
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call && !call.name.equals("<init>")) {
                ClassHierarchy.Resolution r = hierarchy.resolve(call.owner, call.name, call.desc);
                if (r == ClassHierarchy.Resolution.ASYNC) {
                    sites.add(call);
                } else if (r == ClassHierarchy.Resolution.UNRESOLVED) {
                    warnUnresolved(m, call, lines);
                }
            }
        }
        return sites;
    }

    private final Map<String, Boolean> warnedOwners = new HashMap<>();

    private void warnUnresolved(MethodNode m, MethodInsnNode call, Map<AbstractInsnNode, Integer> lines) {
        if (call.owner.startsWith("java/") || call.owner.startsWith("javax/") || call.owner.startsWith("jdk/")
                || warnedOwners.put(call.owner, true) != null) {
            return;
        }
        warnings.add(problem(ProblemKind.UNRESOLVED_CLASS, lines.getOrDefault(call, -1), m, display(m) + " calls "
                + Names.method(call.owner, call.name, call.desc) + ", but no class file for "
                + Names.binary(call.owner) + " (or one of its supertypes) is on the weaver's class path, so the call "
                + "is taken as not async. Fix: add it to the class path (the plugin uses the compile class path)."));
    }

    private List<MethodInsnNode> allModeSites(MethodNode m) {
        List<MethodInsnNode> sites = new ArrayList<>();
        int[] depth = MonitorDepth.compute(m);
        boolean sync = (m.access & Opcodes.ACC_SYNCHRONIZED) != 0;
        int i = 0;
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
            if (insn instanceof MethodInsnNode call && !call.name.equals("<init>") && !sync && depth[i] == 0) {
                sites.add(call);
            }
        }
        return sites;
    }

    // ---------------------------------------------------------------- rules

    private void reportAsyncCalls(MethodNode m, Map<AbstractInsnNode, Integer> lines) {
        for (MethodInsnNode call : asyncSites(m, lines)) {
            int line = lines.getOrDefault(call, -1);
            String callee = Names.method(call.owner, call.name, call.desc);
            LambdaUse use = lambdas.get(m.name + m.desc);
            if (use != null) {
                problems.add(problem(ProblemKind.LAMBDA_NOT_ASYNC, line, m, "a lambda in "
                        + enclosingDisplay(use) + " implements " + Names.method(use.itf(), use.samName(), use.samDesc())
                        + ", which is not @Async, but calls @Async " + callee + ". Fix: use a plain loop instead of the "
                        + "callback, or pass the lambda where an @Async functional interface (AsyncRunnable, "
                        + "AsyncCallable, or your own) is expected."));
            } else if (m.name.equals("<init>") || m.name.equals("<clinit>")) {
                problems.add(problem(ProblemKind.NON_ASYNC_CALLER, line, m, display(m) + " calls @Async " + callee
                        + ", but " + (m.name.equals("<init>") ? "constructors" : "static initializers")
                        + " can never be @Async. Fix: make the call from an @Async factory or init method."));
            } else {
                problems.add(problem(ProblemKind.NON_ASYNC_CALLER, line, m, display(m) + " calls @Async " + callee
                        + " but is not @Async. Fix: annotate " + m.name + "() with @Async, or start it with "
                        + "Weft.run(...)."));
            }
        }
    }

    private void checkMonitors(MethodNode m, List<MethodInsnNode> sites, Map<AbstractInsnNode, Integer> lines) {
        if (sites.isEmpty()) {
            return;
        }
        boolean sync = (m.access & Opcodes.ACC_SYNCHRONIZED) != 0;
        int[] depth = MonitorDepth.compute(m);
        for (MethodInsnNode call : sites) {
            int d = depth[m.instructions.indexOf(call)];
            if (sync || d > 0) {
                problems.add(problem(ProblemKind.MONITOR_HELD, lines.getOrDefault(call, -1), m, display(m)
                        + " calls @Async " + Names.method(call.owner, call.name, call.desc) + " while holding a monitor ("
                        + (d > 0 ? "a synchronized block" : "a synchronized method") + "). The task would suspend "
                        + "holding it, and on one scheduler thread a monitor excludes nothing. Fix: use "
                        + "dev.weft.sync.Lock instead of synchronized."));
            }
        }
    }

    private void checkOverride(MethodNode m, boolean declared) {
        if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0 || m.name.startsWith("<")
                || lambdas.containsKey(m.name + m.desc)) {
            return;
        }
        String key = m.name + m.desc;
        for (String sup : hierarchy.allSupertypes(cn.name)) {
            Optional<ClassInfo> info = hierarchy.find(sup);
            if (info.isEmpty()) {
                continue;
            }
            ClassInfo.MethodInfo other = info.get().methods().get(key);
            if (other == null || (other.access() & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0) {
                continue;
            }
            if (other.async() != declared) {
                String theirs = Names.method(sup, m.name, m.desc);
                problems.add(problem(ProblemKind.OVERRIDE_MISMATCH, firstLine(m), m, display(m)
                        + (declared ? " is @Async but overrides " + theirs + ", which is not"
                                : " is not @Async but overrides @Async " + theirs)
                        + ". Whether a call suspends is decided from the method named at the call site, so both must "
                        + "agree. Fix: " + (declared ? "annotate " + theirs + " with @Async, or remove @Async here"
                                : "annotate " + m.name + "() with @Async") + "."));
                return;
            }
        }
    }

    private void checkMethodReferences(MethodNode m, Map<AbstractInsnNode, Integer> lines) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof InvokeDynamicInsnNode indy && indy.bsm.getOwner().equals(LAMBDA_METAFACTORY)
                    && indy.bsmArgs.length >= 3 && indy.bsmArgs[1] instanceof Handle impl
                    && !(impl.getOwner().equals(cn.name) && isSynthetic(impl))) {
                String itf = Type.getReturnType(indy.desc).getInternalName();
                String samDesc = ((Type) indy.bsmArgs[0]).getDescriptor();
                if (hierarchy.resolve(impl.getOwner(), impl.getName(), impl.getDesc()) == ClassHierarchy.Resolution.ASYNC
                        && hierarchy.resolve(itf, indy.name, samDesc) != ClassHierarchy.Resolution.ASYNC) {
                    problems.add(problem(ProblemKind.METHOD_REFERENCE_NOT_ASYNC, lines.getOrDefault(indy, -1), m,
                            display(m) + " passes @Async " + Names.method(impl.getOwner(), impl.getName(), impl.getDesc())
                                    + " as " + Names.method(itf, indy.name, samDesc) + ", which is not @Async, so "
                                    + "nothing could resume it. Fix: use a plain loop instead of the callback, or an "
                                    + "@Async functional interface (AsyncRunnable, AsyncCallable, or your own)."));
                }
            }
        }
    }

    // ---------------------------------------------------------------- display

    private String display(MethodNode m) {
        return Names.method(cn.name, m.name, m.desc);
    }

    private String enclosingDisplay(LambdaUse use) {
        int paren = use.enclosing().indexOf('(');
        return Names.method(cn.name, use.enclosing().substring(0, paren), use.enclosing().substring(paren));
    }

    static Map<AbstractInsnNode, Integer> lines(MethodNode m) {
        Map<AbstractInsnNode, Integer> lines = new IdentityHashMap<>();
        Map<Object, Integer> labelLines = new LinkedHashMap<>();
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LineNumberNode ln) {
                labelLines.put(ln.start, ln.line);
            }
        }
        int current = -1;
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            Integer l = labelLines.get(insn);
            if (l != null) {
                current = l;
            }
            lines.put(insn, current);
        }
        return lines;
    }

    private static int firstLine(MethodNode m) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LineNumberNode ln) {
                return ln.line;
            }
        }
        return -1;
    }
}
