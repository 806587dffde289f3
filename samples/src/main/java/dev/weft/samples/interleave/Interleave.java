package dev.weft.samples.interleave;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Three tasks on one thread, each counting to three; every call to an {@code @Async}
 * method is a place where the thread may switch to another task, and nowhere else.
 *
 * <p>The round-robin loop here shows the layer Weft's scheduler is built on: it runs each
 * continuation until it suspends, then the next. Programs use {@code Weft.run} and
 * nurseries instead (see the hello sample).
 */
public final class Interleave {
    private final PrintStream out;

    public Interleave(PrintStream out) {
        this.out = out;
    }

    /** Counts, giving the thread away after each line. */
    @Async
    void count(String name) {
        for (int i = 1; i <= 3; i++) {
            out.println("  " + name + " says " + i);
            yieldToOthers();
        }
        out.println("  " + name + " is done");
    }

    /** A suspension point: parks this task until the loop comes back to it. */
    @Async
    static void yieldToOthers() {
        Continuation.suspend();
    }

    /** Runs the three tasks round-robin until all have finished. */
    public void run() {
        ArrayDeque<Continuation> ready = new ArrayDeque<>();
        for (String name : List.of("ant", "bee", "cat")) {
            ready.add(new Continuation(() -> {
                count(name);
                return null;
            }));
        }
        while (!ready.isEmpty()) {
            Continuation task = ready.poll();
            if (task.run() == Continuation.Status.SUSPENDED) {
                ready.add(task);
            }
        }
    }
}
