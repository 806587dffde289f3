package dev.weft.samples.hello;

import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Trio's hello world, in Java: a main task opens a nursery and starts two children that
 * sleep for a second each. The nursery's block does not end until both children have, so
 * "all children exited" comes last, and since the children sleep at the same time the
 * whole run takes one second, not two.
 *
 * <p>The run uses FIFO order so the output reads the same every time; by default Weft runs
 * tasks that wake together in a random order, to flush out code that relies on an order it
 * was never promised.
 */
public final class Hello {
    private final PrintStream out;

    public Hello(PrintStream out) {
        this.out = out;
    }

    @Async
    void childTask(String name, Duration delay) {
        out.println(name + ": started! Sleeping for " + delay.toSeconds() + " seconds.");
        Weft.sleep(delay);
        out.println(name + ": exiting!");
    }

    @Async
    void main() {
        out.println("main: started");
        Nursery.open(nursery -> {
            nursery.startSoon("child1", () -> childTask("child1", Duration.ofSeconds(1)));
            nursery.startSoon("child2", () -> childTask("child2", Duration.ofSeconds(1)));
        });
        out.printf("main: all children exited after %.1f seconds%n", Weft.currentTime());
    }

    /**
     * Runs the sample.
     *
     * @param runner the runner to use (tests give one with a mock clock)
     * @throws Exception if the run fails
     */
    public void run(Runner runner) throws Exception {
        runner.fifoOrder().run(this::main);
    }
}
