package dev.weft.samples;

import dev.weft.Weft;
import dev.weft.samples.hello.Hello;
import dev.weft.samples.interleave.Interleave;
import dev.weft.samples.recursion.Recursion;
import dev.weft.samples.timeouts.Timeouts;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The samples launcher: {@code weft-samples <name>}, or {@code tour} for all of them in order. */
@Command(name = "weft-samples", mixinStandardHelpOptions = true, version = "weft-samples 0.1.0",
        description = "Small programs that show what Weft does.",
        subcommands = {Samples.Tour.class, Samples.HelloCommand.class, Samples.TimeoutsCommand.class,
            Samples.InterleaveCommand.class, Samples.RecursionCommand.class})
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
        public Integer call() throws Exception {
            OUT.println("Weft tour: @Async methods become resumable state machines, so many tasks share one thread.");
            OUT.println();
            OUT.println("1. hello: a nursery with two children that sleep 1 s each; the block waits for both,");
            OUT.println("   and the run takes 1 s because they sleep at the same time.");
            new Hello(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("2. timeouts: deadlines are cancel scopes; they nest, and a shield protects cleanup.");
            new Timeouts(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("3. interleave: the layer beneath the scheduler; three continuations on a hand-written loop switch");
            OUT.println("   only where an @Async method is called.");
            new Interleave(OUT).run();
            OUT.println();
            OUT.println("4. recursion: a task suspends 5,000 calls deep and resumes with every local intact.");
            new Recursion(OUT).run();
            return 0;
        }
    }

    @Command(name = "hello", description = "Two children in a nursery, sleeping one second each.")
    static final class HelloCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new Hello(OUT).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "timeouts", description = "moveOnAfter, failAfter, nested deadlines and shields.")
    static final class TimeoutsCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new Timeouts(OUT).run(Weft.runner());
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
