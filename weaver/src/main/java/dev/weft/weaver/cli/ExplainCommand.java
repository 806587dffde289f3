package dev.weft.weaver.cli;

import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveProblem;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.WovenMethod;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import dev.weft.weaver.analysis.ClassInfo;
import dev.weft.weaver.analysis.Names;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.objectweb.asm.Opcodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft explain}: weaves one class in memory and prints, for each woven method, its
 * suspension points: the state number the frame store records, the source line, the
 * {@code @Async} method called, and the locals and operand-stack values saved across it.
 *
 * <p>The class is named as {@code a.b.C} or {@code a/b/C}, nested classes with {@code $}
 * ({@code a.b.Outer$Inner}; {@code a.b.Outer.Inner} is tried too), optionally followed by
 * {@code #method} to explain only the methods of that name (every overload, and the lambdas
 * written in them) or {@code #method(descriptor)} for one. It is looked up on
 * {@code --classpath}, which defaults to the current directory, and must be the class file as
 * javac wrote it: an already woven class has nothing left to explain.
 *
 * {@snippet :
 * $ weft explain demo.Fetcher#fetch -cp build/classes:lib/runtime.jar
 * demo.Fetcher (Fetcher.java): 1 woven method, 2 suspension points
 *
 * Fetcher.fetch(int) is @Async, with 2 suspension points:
 *   state 0 at Fetcher.java:8, calls Probe.point()
 *   (this is never saved: resuming calls the method on the same object)
 *   state 0 at Fetcher.java:10, calls Probe.point()
 *     saves locals: 1 count: int, 2 label: String
 *     saves stack:  nothing
 *   ...
 * }
 *
 * <p>Exit code 0 when explained (a method that is not {@code @Async} is explained as such),
 * 1 if the class or method cannot be found or the weaver refuses the class (its problems are
 * printed), 2 for a usage error.
 */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Weaves one class in memory and prints each woven method's suspension points: state number, source "
                    + "line, the @Async method called, and the locals and stack values saved across it.",
            "Give CLASS as a.b.C or a/b/C (nested: a.b.Outer$Inner), optionally with #METHOD; it is read from "
                    + "--classpath, by default the current directory."})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLASS[#METHOD]",
            description = "The class, e.g. a.b.Fetcher, and optionally one method: a.b.Fetcher#fetchAll.")
    private String target;

    @Mixin
    private WeaverMixin weaving;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int hash = target.indexOf('#');
        String className = hash < 0 ? target : target.substring(0, hash);
        String method = hash < 0 ? null : target.substring(hash + 1);
        if (className.endsWith(".class")) {
            className = className.substring(0, className.length() - ".class".length());
        }
        if (className.isEmpty() || method != null && method.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for positional parameter CLASS[#METHOD]: '"
                    + target + "'. Give a class, e.g. a.b.Fetcher, or a class and a method, e.g. a.b.Fetcher#fetchAll.");
        }
        boolean given = weaving.hasClassPath();
        ClassFileLocator locator = weaving.locator(given ? List.of() : List.of(Path.of(".")), err);
        String internal = className.replace('.', '/');
        byte[] bytes = locator.find(internal);
        while (bytes == null && internal.lastIndexOf('/') > 0) {
            // a.b.Outer.Inner: try the last dots as nesting, one at a time
            int slash = internal.lastIndexOf('/');
            internal = internal.substring(0, slash) + '$' + internal.substring(slash + 1);
            bytes = locator.find(internal);
        }
        if (bytes == null) {
            err.println("weft explain: class " + className + " not found on the class path "
                    + (given ? "given with -cp" : "(the current directory; set it with -cp)")
                    + ". Fix: add the directory or jar holding it with -cp.");
            return WeftCli.EXIT_PROBLEMS;
        }
        Weaver weaver = weaving.weaver(locator);
        WeaveResult result;
        try {
            result = weaver.weave(bytes);
        } catch (WeaveException e) {
            for (WeaveProblem p : e.problems()) {
                err.println(p.format());
            }
            err.println("weft explain: " + Weaver.classNameOf(bytes) + " cannot be woven ("
                    + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + ")");
            return WeftCli.EXIT_PROBLEMS;
        }
        for (WeaveProblem w : result.warnings()) {
            err.println(w.format());
        }
        ClassInfo info = ClassHierarchy.read(bytes);
        String source = info.sourceFile() != null ? info.sourceFile() : Names.simpleClass(info.name()) + ".class";
        if (result.status() == WeaveResult.Status.ALREADY_WOVEN) {
            err.println("weft explain: " + result.className() + " is already woven (it carries Weft's marker), so there "
                    + "is nothing left to explain. Fix: put the classes as javac wrote them first on -cp.");
            return WeftCli.EXIT_PROBLEMS;
        }
        return method == null ? explainClass(out, info, source, result)
                : explainMethod(out, err, info, source, result, method);
    }

    private int explainClass(PrintWriter out, ClassInfo info, String source, WeaveResult result) {
        if (result.methods().isEmpty()) {
            out.println(result.className() + " (" + source + ") has no @Async methods: weaving leaves it unchanged.");
            return WeftCli.EXIT_OK;
        }
        header(out, source, result, result.methods());
        for (WovenMethod m : result.methods()) {
            out.println();
            explain(out, info, source, m, null);
        }
        return WeftCli.EXIT_OK;
    }

    private int explainMethod(PrintWriter out, PrintWriter err, ClassInfo info, String source, WeaveResult result,
                              String method) {
        int paren = method.indexOf('(');
        String name = paren < 0 ? method : method.substring(0, paren);
        String descriptor = paren < 0 ? null : method.substring(paren);
        List<String> declared = new ArrayList<>();
        for (String key : info.methods().keySet()) {
            if (key.startsWith(name + "(") && (descriptor == null || key.equals(name + descriptor))) {
                declared.add(key);
            }
        }
        if (declared.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (String key : info.methods().keySet()) {
                String n = key.substring(0, key.indexOf('('));
                if (!n.startsWith("lambda$") && !n.startsWith("<") && !names.contains(n)) {
                    names.add(n);
                }
            }
            err.println("weft explain: " + result.className() + " has no method " + method + ". Its methods: "
                    + String.join(", ", names) + ".");
            return WeftCli.EXIT_PROBLEMS;
        }
        List<WovenMethod> selected = new ArrayList<>();
        for (WovenMethod m : result.methods()) {
            if (declared.contains(m.name() + m.descriptor()) || m.name().startsWith("lambda$" + name + "$")) {
                selected.add(m);
            }
        }
        header(out, source, result, selected);
        for (String key : declared) {
            int p = key.indexOf('(');
            WovenMethod woven = find(result.methods(), key.substring(0, p), key.substring(p));
            out.println();
            if (woven != null) {
                explain(out, info, source, woven, null);
            } else {
                out.println(Names.method(info.name(), key.substring(0, p), key.substring(p)) + " is not @Async, so "
                        + "weaving leaves it as it is: it has no suspension points.");
            }
        }
        for (WovenMethod m : selected) {
            if (m.name().startsWith("lambda$")) {
                out.println();
                explain(out, info, source, m, "a lambda in " + name + "()");
            }
        }
        return WeftCli.EXIT_OK;
    }

    private static void header(PrintWriter out, String source, WeaveResult result, List<WovenMethod> methods) {
        int points = 0;
        for (WovenMethod m : methods) {
            points += m.points().size();
        }
        out.println(result.className() + " (" + source + "): " + methods.size() + " woven method"
                + (methods.size() == 1 ? "" : "s") + ", " + points + " suspension point" + (points == 1 ? "" : "s"));
    }

    private static WovenMethod find(List<WovenMethod> methods, String name, String descriptor) {
        for (WovenMethod m : methods) {
            if (m.name().equals(name) && m.descriptor().equals(descriptor)) {
                return m;
            }
        }
        return null;
    }

    private static void explain(PrintWriter out, ClassInfo info, String source, WovenMethod m, String lambdaOf) {
        String display = Names.method(info.name(), m.name(), m.descriptor())
                + (lambdaOf != null ? " (" + lambdaOf + ")" : "");
        if (m.points().isEmpty()) {
            out.println(display + " is @Async but calls no @Async method: it has no suspension points and never "
                    + "suspends (weaving adds only its prologue).");
            return;
        }
        int n = m.points().size();
        out.println(display + " is @Async, with " + n + " suspension point" + (n == 1 ? "" : "s") + ":");
        ClassInfo.MethodInfo declared = info.methods().get(m.name() + m.descriptor());
        boolean instance = declared != null && (declared.access() & Opcodes.ACC_STATIC) == 0;
        if (instance && m.points().stream().flatMap(p -> p.savedLocals().stream())
                .noneMatch(l -> l.startsWith("0 ") || l.startsWith("0:"))) {
            // The weaver saves slot 0 only if the method stores to it; otherwise it holds this throughout.
            out.println("  (this is never saved: resuming calls the method on the same object)");
        }
        for (WovenMethod.SuspensionPoint p : m.points()) {
            out.println("  state " + p.state() + " at " + source + (p.line() > 0 ? ":" + p.line() : " (no line number)")
                    + ", calls " + p.callee());
            out.println("    saves locals: " + (p.savedLocals().isEmpty() ? "nothing" : String.join(", ", p.savedLocals())));
            out.println("    saves stack:  " + (p.savedStack().isEmpty() ? "nothing"
                    : String.join(", ", p.savedStack()) + " (bottom first, below the call's arguments)"));
        }
    }
}
