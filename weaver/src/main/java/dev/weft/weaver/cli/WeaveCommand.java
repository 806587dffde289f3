package dev.weft.weaver.cli;

import dev.weft.weaver.Weaver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft weave}: weaves every class file of each input, a class-path root given as a
 * directory or a jar, and writes the result.
 *
 * <p>Without {@code --out}, directories are woven in place, and jars are refused as a usage
 * error (exit 2): a jar is never rewritten in place. With {@code --out DIR}, each directory's
 * whole tree is written under DIR, and each jar as a jar of the same name under DIR, its other
 * entries copied unchanged (see {@link InputWeaver} for the details). Weaving is idempotent:
 * already woven classes are left as they are and counted as such.
 *
 * {@snippet :
 * weft weave build/classes -cp lib/runtime.jar                  # in place
 * weft weave app.jar -cp lib/runtime.jar --out build/woven      # writes build/woven/app.jar
 * }
 *
 * <p>Every problem of every class is printed to the error stream, then the summary line to
 * the output: {@code woven 12 classes (40 methods, 97 suspension points), 3 already woven,
 * 210 unchanged}. A refused class is not written; the exit code is then 1.
 */
@Command(name = "weave",
        mixinStandardHelpOptions = true,
        description = {
            "Weaves the @Async methods of every class file in each input (a class-path root: a directory or a jar).",
            "Directories are woven in place unless --out is given; jars need --out, under which a jar of the same "
                    + "name is written."})
final class WeaveCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Class-path roots to weave: directories or jars.")
    private List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Write here instead of in place: each directory's whole tree, and each jar as DIR/<its name>.")
    private Path outDir;

    @Option(names = {"-v", "--verbose"}, description = "Print a line for each class and each output written.")
    private boolean verbose;

    @Mixin
    private WeaverMixin weaving;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputWeaver.checkInputs(spec.commandLine(), inputs, outDir, true);
        Weaver weaver = weaving.weaver(weaving.locator(inputs, err));
        InputWeaver w = new InputWeaver(weaver, out, err, verbose);
        List<InputOutcome> outcomes = new ArrayList<>();
        for (Path input : inputs) {
            outcomes.add(w.weave(input));
        }
        for (InputOutcome o : outcomes) {
            w.write(o, outDir);
        }
        out.println(w.tally().summary(false));
        return w.tally().problems() > 0 ? WeftCli.EXIT_PROBLEMS : WeftCli.EXIT_OK;
    }
}
