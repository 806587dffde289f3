package dev.weft;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import dev.weft.internal.TaskCore;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.Lowlevel;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs async code and gives it time and checkpoints: the entry point of Weft.
 * {@snippet :
 * public static void main(String[] args) throws Exception {
 *     Weft.run(() -> {
 *         Nursery.open(n -> {
 *             n.startSoon(() -> { Weft.sleep(Duration.ofSeconds(1)); System.out.println("child 1"); });
 *             n.startSoon(() -> { Weft.sleep(Duration.ofSeconds(1)); System.out.println("child 2"); });
 *         });
 *     });
 * }
 * }
 *
 * <h2>Checkpoints</h2>
 * A checkpoint is a place where a task may be cancelled (a <em>cancel point</em>) and where
 * other tasks may run (a <em>schedule point</em>). Every {@code @Async} method of the runtime
 * is a checkpoint, even when it could finish at once; synchronous methods never are. So
 * tasks interleave only at calls to {@code @Async} methods, which the weaver knows at build
 * time, and a loop that never calls one holds the thread.
 *
 * <p>Everything here except {@link #run} must be called from a task of a run: calling it
 * elsewhere throws {@link IllegalStateException} naming the call.
 */
public final class Weft {
    private Weft() {
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs {@code main} as the main task of a new run on the calling thread, with the default
     * settings (system clock, random order, Ctrl+C handling); see {@link Runner#run}.
     *
     * @param main the main task
     * @param <T> its value's type
     * @return main's value
     * @throws Exception what main threw, bare
     * @throws RunInterruptedException if Ctrl+C interrupted the run
     * @throws IllegalStateException if called inside a run
     */
    public static <T> T run(AsyncCallable<T> main) throws Exception {
        return runner().run(main);
    }

    /**
     * Runs {@code main}, which returns nothing; see {@link #run(AsyncCallable)}.
     *
     * @param main the main task
     * @throws Exception what main threw, bare
     */
    public static void run(AsyncRunnable main) throws Exception {
        runner().run(main);
    }

    /**
     * Returns a runner with the default settings, to configure a run.
     *
     * @return a new runner
     */
    public static Runner runner() {
        return new Runner();
    }

    // ---------------------------------------------------------------- time

    /**
     * Returns the run's current time, in seconds on its clock. Not a checkpoint.
     *
     * @return the time
     * @throws IllegalStateException if called outside a run
     */
    public static double currentTime() {
        return TaskCore.current("Weft.currentTime()").loop().now();
    }

    /**
     * Returns the deadline in effect for the current task: the earliest deadline of the
     * cancel scopes around it up to the first shielded one, negative infinity if it is
     * already cancelled, positive infinity if none has a deadline. Not a checkpoint.
     *
     * @return the effective deadline
     * @throws IllegalStateException if called outside a run
     */
    public static double currentEffectiveDeadline() {
        return TaskCore.current("Weft.currentEffectiveDeadline()").scope().effectiveDeadline();
    }

    /**
     * Sleeps for {@code duration}. A checkpoint, even for a zero duration.
     *
     * @param duration how long
     * @throws Cancelled if the task is cancelled meanwhile
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, was " + duration);
        }
        TaskCore task = TaskCore.current("Weft.sleep");
        sleepUntil(task.loop().now() + duration.getSeconds() + duration.getNano() / 1e9);
    }

    /**
     * Sleeps until the run's clock reaches {@code deadline}. A checkpoint, even if the
     * deadline has passed.
     *
     * @param deadline a time on the run's clock, possibly infinite
     * @throws Cancelled if the task is cancelled meanwhile
     * @throws IllegalArgumentException if {@code deadline} is NaN
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void sleepUntil(double deadline) {
        if (Double.isNaN(deadline)) {
            throw new IllegalArgumentException("deadline must be a number, was NaN");
        }
        TaskCore task = TaskCore.current("Weft.sleepUntil");
        if (deadline <= task.loop().now()) {
            checkpoint();
            return;
        }
        if (deadline == Double.POSITIVE_INFINITY) {
            Lowlevel.park(Abort.ALWAYS);
            throw new IllegalStateException("task '" + task.name() + "' was woken from sleepForever()");
        }
        task.sleepUntil(deadline);
        Lowlevel.park(task);
    }

    /**
     * Sleeps until cancelled. A checkpoint; never returns normally.
     *
     * @throws Cancelled when the task is cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void sleepForever() {
        sleepUntil(Double.POSITIVE_INFINITY);
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * A checkpoint: lets the other runnable tasks run, then throws {@link Cancelled} if the
     * task is cancelled. Put one in a long computation so it can be interrupted and does not
     * hold the thread.
     *
     * @throws Cancelled if the task is cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void checkpoint() {
        TaskCore task = TaskCore.current("Weft.checkpoint()");
        task.beginYield();
        Continuation.suspend();
        task.countCancelPoint();
        if (task.isCancelled()) {
            throw task.newCancelled();
        }
    }

    /**
     * A cancel point only: throws {@link Cancelled} (after a schedule point) if the task is
     * cancelled, and otherwise returns without letting other tasks run.
     *
     * @throws Cancelled if the task is cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void checkpointIfCancelled() {
        TaskCore task = TaskCore.current("Weft.checkpointIfCancelled()");
        if (task.isCancelled()) {
            checkpoint();
            throw new AssertionError("checkpoint() returned in a cancelled task");
        }
        task.countCancelPoint();
    }

    /**
     * A schedule point only: lets the other runnable tasks run, and never throws
     * {@link Cancelled}.
     *
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void cancelShieldedCheckpoint() {
        TaskCore task = TaskCore.current("Weft.cancelShieldedCheckpoint()");
        task.beginYield();
        Continuation.suspend();
    }
}
