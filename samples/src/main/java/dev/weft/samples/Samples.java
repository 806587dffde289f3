package dev.weft.samples;

import dev.weft.samples.interleave.Interleave;
import dev.weft.samples.recursion.Recursion;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The samples launcher: {@code weft-samples <name>}, or {@code tour} for all of them in order. */
@Command(name = "weft-samples", mixinStandardHelpOptions = true, version = "weft-samples 0.1.0",
        description = "Small programs that show what Weft does.",
        subcommands = {Samples.Tour.class, Samples.InterleaveCommand.class, Samples.RecursionCommand.class})
public final class Samples implements Callable<Integer> {
    static final PrintStream OUT = System.out;

    @Override
    public Integer call() {
        CommandLine.usage(this, OUT);
        return 2;
    }

    /** @param args {@code tour}, or a sample's name */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Samples()).execute(args));
    }

    /** Runs every sample with a short explanation of what each shows. */
    @Command(name = "tour", description = "Run every sample in order, saying what each shows.")
    static final class Tour implements Callable<Integer> {
        @Override
        public Integer call() {
            OUT.println("Weft tour: @Async methods become resumable state machines, so many tasks share one thread.");
            OUT.println();
            OUT.println("1. interleave: three tasks on one thread; they switch only where an @Async method is called.");
            new Interleave(OUT).run();
            OUT.println();
            OUT.println("2. recursion: a task suspends 5,000 calls deep and resumes with every local intact.");
            new Recursion(OUT).run();
            OUT.println();
            OUT.println("Next: the scheduler (Weft.run, nurseries, cancel scopes) runs on this same layer.");
            return 0;
        }
    }

    @Command(name = "interleave", description = "Three tasks sharing one thread.")
    static final class InterleaveCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            new Interleave(OUT).run();
            return 0;
        }
    }

    @Command(name = "recursion", description = "Suspend and resume 5,000 frames deep.")
    static final class RecursionCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            new Recursion(OUT).run();
            return 0;
        }
    }
}
