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
 * {@code weft check}: weaves every class file of each input in memory, exactly as
 * {@code weft weave} would, reports every problem and warning, and writes nothing.
 *
 * {@snippet :
 * weft check build/classes -cp lib/runtime.jar
 * # Fetcher.java:42: Fetcher.fetchAll() calls @Async Client.get() but is not @Async. Fix: ...
 * # would weave 11 classes (38 methods, 90 suspension points), 0 already woven, 210 unchanged, 1 refused (1 problem)
 * }
 *
 * <p>Exit code 0 if every class could be woven, 1 if any problem was found, 2 for a usage
 * error. Warnings do not change the exit code.
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = "Reports every problem that would stop 'weft weave' on the inputs, writing nothing.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Class-path roots to check: directories or jars.")
    private List<Path> inputs = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Print a line for each class.")
    private boolean verbose;

    @Mixin
    private WeaverMixin weaving;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputWeaver.checkInputs(spec.commandLine(), inputs, null, false);
        Weaver weaver = weaving.weaver(weaving.locator(inputs, err));
        InputWeaver w = new InputWeaver(weaver, out, err, verbose);
        for (Path input : inputs) {
            w.weave(input);
        }
        out.println(w.tally().summary(true));
        return w.tally().problems() > 0 ? WeftCli.EXIT_PROBLEMS : WeftCli.EXIT_OK;
    }
}
