package dev.weft.samples.timeouts;

import dev.weft.CancelScope;
import dev.weft.Runner;
import dev.weft.TooSlowException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Timeouts are cancel scopes: a block with a deadline. {@code moveOnAfter} gives up quietly,
 * {@code failAfter} throws {@link TooSlowException}, scopes nest (the tighter deadline
 * wins), and a shielded scope lets cleanup finish even though the code around it has been
 * cancelled.
 */
public final class Timeouts {
    private final PrintStream out;

    public Timeouts(PrintStream out) {
        this.out = out;
    }

    /** A slow operation: half a second of work per step. */
    @Async
    void slowWork(String what, int steps) {
        for (int i = 1; i <= steps; i++) {
            Weft.sleep(Duration.ofMillis(500));
            out.printf("  %s: step %d done at %.1fs%n", what, i, Weft.currentTime());
        }
    }

    @Async
    void main() {
        out.println("moveOnAfter(1.2s) around 4 steps of 0.5s: the work stops at the first checkpoint after 1.2s.");
        CancelScope quiet = CancelScope.moveOnAfter(Duration.ofMillis(1200));
        quiet.run(() -> slowWork("download", 4));
        out.printf("  moved on at %.1fs; cancelledCaught = %s%n", Weft.currentTime(), quiet.cancelledCaught());

        out.println("failAfter(0.7s): the same, but the caller gets TooSlowException.");
        try {
            CancelScope.failAfter(Duration.ofMillis(700)).run(() -> slowWork("upload", 4));
        } catch (TooSlowException e) {
            out.println("  caught TooSlowException: " + e.getMessage());
        }

        out.println("Nested: an outer 2s budget and an inner 0.6s one; the tighter deadline fires first.");
        CancelScope outer = CancelScope.moveOnAfter(Duration.ofSeconds(2));
        outer.run(() -> {
            CancelScope inner = CancelScope.moveOnAfter(Duration.ofMillis(600));
            inner.run(() -> slowWork("inner", 4));
            out.printf("  inner gave up at %.1fs; the outer block carries on%n", Weft.currentTime());
            slowWork("outer", 1);
        });

        out.println("Shield: cleanup inside a shielded scope finishes even though its caller was cancelled.");
        CancelScope.moveOnAfter(Duration.ofMillis(300)).run(() -> {
            try {
                slowWork("request", 4);
            } finally {
                new CancelScope().setShield(true).run(() -> slowWork("cleanup", 1));
            }
        });
        out.printf("  all done at %.1fs%n", Weft.currentTime());
    }

    /**
     * Runs the sample.
     *
     * @param runner the runner to use (tests give one with a mock clock)
     * @throws Exception if the run fails
     */
    public void run(Runner runner) throws Exception {
        runner.run(this::main);
    }
}
