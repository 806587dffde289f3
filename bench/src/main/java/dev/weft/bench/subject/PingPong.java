package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;

/**
 * A main task that starts two children which hand the thread to each other
 * {@code switches} times in all, then returns the number of switches made.
 *
 * <p>Two ways to hand over, chosen by {@code viaPark}:
 * <ul>
 *   <li>{@code false}, checkpoint: each child calls {@link Weft#checkpoint()}
 *       {@code switches / 2} times. With two runnable tasks, every checkpoint ends a step
 *       and the scheduler runs the other task next.
 *   <li>{@code true}, park: each child wakes the other with {@link Lowlevel#reschedule}
 *       and parks with {@link Lowlevel#park}, as a blocking primitive's waker and waiter do.
 * </ul>
 * A subject may be run again, one run at a time.
 *
 * <p>{@link dev.weft.bench.PingPongBenchmark} runs the woven copy as the main task of a run;
 * {@link dev.weft.bench.PingPongThreads} is the same pair for virtual threads.
 */
public final class PingPong implements AsyncCallable<Object> {
    private final int switches;
    private final boolean viaPark;

    /** The child parked waiting for its turn, or null. Written and read by the two children. */
    private Task waiting;
    /** Parks made so far by both children. */
    private int parks;
    /** Set by the child that makes the last park's wake-up instead of parking; ends the other. */
    private boolean done;

    /**
     * @param switches switches to make in all, even and at least 2
     * @param viaPark hand over by park and reschedule rather than by checkpoint
     */
    public PingPong(int switches, boolean viaPark) {
        if (switches < 2 || switches % 2 != 0) {
            throw new IllegalArgumentException("switches must be even and >= 2, was " + switches);
        }
        this.switches = switches;
        this.viaPark = viaPark;
    }

    @Override
    @Async
    public Object call() {
        int each = switches / 2;
        if (viaPark) {
            waiting = null;
            parks = 0;
            done = false;
            Nursery.open(n -> {
                n.startSoon(() -> parkPlayer());
                n.startSoon(() -> parkPlayer());
            });
            return parks;
        }
        Nursery.open(n -> {
            n.startSoon(() -> {
                for (int i = 0; i < each; i++) {
                    Weft.checkpoint();
                }
            });
            n.startSoon(() -> {
                for (int i = 0; i < each; i++) {
                    Weft.checkpoint();
                }
            });
        });
        return switches;
    }

    /**
     * Wakes the waiting child, if any, and parks until woken, until {@code switches} parks
     * have been made; the child that would make one too many returns instead, and the other
     * finds {@link #done} when it wakes.
     */
    @Async
    void parkPlayer() {
        Task me = Lowlevel.currentTask();
        while (!done) {
            Task other = waiting;
            waiting = me;
            if (other != null) {
                Lowlevel.reschedule(other, null);
            }
            if (parks == switches) {
                done = true;
                waiting = null;
                return;
            }
            parks++;
            Lowlevel.park(Abort.NEVER);
        }
    }
}
