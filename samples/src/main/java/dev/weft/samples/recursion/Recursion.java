package dev.weft.samples.recursion;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import java.io.PrintStream;

/**
 * A recursive {@code @Async} method 5,000 calls deep that suspends at the bottom: the whole
 * chain of frames is saved into the task's frame store, the thread is free, and the chain
 * is rebuilt on resumption with every local intact.
 */
public final class Recursion {
    private final PrintStream out;

    public Recursion(PrintStream out) {
        this.out = out;
    }

    /** Sums 1..n, suspending once at the bottom. */
    @Async
    static long sum(int n) {
        if (n == 0) {
            Continuation.suspend();
            return 0;
        }
        long below = sum(n - 1);
        return below + n;
    }

    /** Runs the sum, reports the suspension, resumes it. */
    public void run() {
        Continuation task = new Continuation(() -> sum(5_000));
        Continuation.Status s = task.run();
        out.println("  after the first step the task is " + s + ", with " + task.savedSlots()
                + " values saved for its 5,000 frames");
        s = task.run();
        out.println("  after the second step it is " + s + ": sum(5000) = " + task.result()
                + " (expected " + (5_000L * 5_001 / 2) + ")");
    }
}
