package dev.weft;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import dev.weft.internal.TaskCore;
import dev.weft.lowlevel.Abort;
import dev.weft.sync.CapacityLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

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
 * <h2>Blocking code and other threads</h2>
 * The run's thread must never block, so blocking code (a JDBC call, a legacy client, file
 * I/O) runs on a worker thread with {@link #runInThread(Callable)}, which parks only the
 * calling task; the JDK's own asynchronous APIs ({@code HttpClient.sendAsync},
 * {@code AsynchronousFileChannel}, {@code Process.onExit()}) plug in through
 * {@link #await(CompletionStage)}. Other threads call into a run through its
 * {@link dev.weft.lowlevel.RunToken} ({@link dev.weft.lowlevel.Lowlevel#currentRunToken()}).
 * {@snippet :
 * Weft.run(() -> {
 *     String row = Weft.runInThread(() -> jdbc.queryForString("select name from users where id = 1"));
 *     HttpResponse<String> r = Weft.await(http.sendAsync(request, BodyHandlers.ofString()));
 * });
 * }
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
        double deadline = task.loop().now() + duration.getSeconds() + duration.getNano() / 1e9;
        if (duration.isZero()) {
            checkpoint();
            return;
        }
        // Parks here rather than through sleepUntil or Lowlevel.park: every woven frame
        // between the task and the suspension costs a saved state on each sleep, and memory
        // for as long as the task sleeps.
        task.sleepUntil(deadline);
        task.beginPark(task);
        Continuation.suspend();
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
            task.beginPark(Abort.ALWAYS);
            Continuation.suspend();
            throw new IllegalStateException("task '" + task.name() + "' was woken from sleepForever()");
        }
        task.sleepUntil(deadline);
        task.beginPark(task);
        Continuation.suspend();
    }

    /**
     * Sleeps until cancelled. A checkpoint; never returns normally.
     *
     * @throws Cancelled when the task is cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void sleepForever() {
        TaskCore task = TaskCore.current("Weft.sleepForever");
        task.beginPark(Abort.ALWAYS);
        Continuation.suspend();
        throw new IllegalStateException("task '" + task.name() + "' was woken from sleepForever()");
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
            // The task may stop being cancelled while it yields (a scope around it shielded
            // meanwhile): then the checkpoint returns, and so does this, as in Trio.
            checkpoint();
            return;
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

    // ---------------------------------------------------------------- threads

    /**
     * Runs the blocking function {@code fn} on a worker thread and parks the calling task
     * until it returns, with the defaults of {@link ThreadOptions}: bounded by the run's
     * {@linkplain #defaultThreadLimiter() default limiter}, and a cancelled task still waits
     * for the thread. Trio's {@code to_thread.run_sync}. A checkpoint: a task that is already
     * cancelled starts no thread.
     *
     * <p>Worker threads are daemon threads named {@code weft-worker-N}, kept per run and
     * reused; when the run ends its idle workers are stopped, so none outlives the run (a
     * thread an {@link ThreadOptions#abandonOnCancel() abandoning} task left behind ends when
     * its function returns). In a worker,
     * {@link dev.weft.lowlevel.Lowlevel#currentRunToken()} gives the run's token, to call back
     * into the run.
     *
     * <p>Memory consistency effects: actions of the task before the call happen-before
     * {@code fn} runs; actions of {@code fn} happen-before the call returns in the task.
     *
     * @param fn blocking code; it must not call {@code @Async} code
     * @param <T> its value's type
     * @return what {@code fn} returned
     * @throws Exception what {@code fn} threw, bare (not wrapped)
     * @throws Cancelled if the task was cancelled before the thread started (under
     *     {@link ThreadOptions.OnCancel#ABANDON}, also while it runs)
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <T> T runInThread(Callable<T> fn) throws Exception {
        return ThreadCall.run(fn, ThreadOptions.defaults());
    }

    /**
     * Like {@link #runInThread(Callable)}, bounded by {@code limiter} instead of the run's
     * default limiter: the call borrows one of its tokens (waiting in line while none is free)
     * for as long as its thread runs. A checkpoint.
     *
     * @param fn blocking code
     * @param limiter the limiter
     * @param <T> its value's type
     * @return what {@code fn} returned
     * @throws Exception what {@code fn} threw, bare
     * @throws Cancelled if the task was cancelled before the thread started
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <T> T runInThread(Callable<T> fn, CapacityLimiter limiter) throws Exception {
        return ThreadCall.run(fn, ThreadOptions.defaults().limiter(limiter));
    }

    /**
     * Like {@link #runInThread(Callable)}, with a cancellation policy and limiter from
     * {@code options}; see {@link ThreadOptions}. A checkpoint.
     *
     * @param fn blocking code
     * @param options the policy and the limiter
     * @param <T> its value's type
     * @return what {@code fn} returned
     * @throws Exception what {@code fn} threw, bare
     * @throws Cancelled if the task was cancelled before the thread started, or while it ran
     *     under {@link ThreadOptions.OnCancel#ABANDON}
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <T> T runInThread(Callable<T> fn, ThreadOptions options) throws Exception {
        return ThreadCall.run(fn, options);
    }

    /**
     * Returns the run's default thread limiter: the one {@link #runInThread(Callable)} uses
     * when given none, with 40 tokens when the run starts. Change its
     * {@linkplain CapacityLimiter#setTotalTokens(int) total} to allow more or fewer threads
     * at once. Not a checkpoint.
     *
     * @return the limiter, one per run
     * @throws IllegalStateException if called outside a run
     */
    public static CapacityLimiter defaultThreadLimiter() {
        return ThreadCall.defaultLimiter(TaskCore.current("Weft.defaultThreadLimiter()").loop());
    }

    // ---------------------------------------------------------------- futures

    /**
     * Waits for {@code stage} to complete and returns its value, or throws its failure bare
     * (without the {@link java.util.concurrent.CompletionException} or
     * {@link java.util.concurrent.ExecutionException} around it). If the task is cancelled
     * meanwhile, the future is cancelled ({@link AwaitCancellation#CANCEL_FUTURE}) and this
     * throws {@link Cancelled}. A stage that is not itself a {@code CompletableFuture} is
     * cancelled through {@code toCompletableFuture()}, which for some stages (such as
     * {@code minimalCompletionStage()}) is a copy: cancelling it does not stop the operation
     * behind the original. A checkpoint, even when the stage has already completed.
     *
     * <p>Memory consistency effects: actions of the thread that completes the stage, before it
     * does, happen-before this returns.
     *
     * @param stage a stage, for instance a {@code CompletableFuture} from a JDK API
     * @param <T> its value's type
     * @return its value
     * @throws Exception its failure, bare; {@link java.util.concurrent.CancellationException}
     *     if the future was cancelled by someone else
     * @throws Cancelled if the task was cancelled while waiting (or before)
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <T> T await(CompletionStage<T> stage) throws Exception {
        return FutureWait.await(stage, AwaitCancellation.CANCEL_FUTURE);
    }

    /**
     * Like {@link #await(CompletionStage)}, choosing what a cancellation does to the future:
     * cancel it, or only stop waiting ({@link AwaitCancellation#STOP_WAITING}, which leaves it
     * to complete and drops its outcome). A checkpoint.
     *
     * @param stage the stage
     * @param onCancel what a cancellation does to it
     * @param <T> its value's type
     * @return its value
     * @throws Exception its failure, bare
     * @throws Cancelled if the task was cancelled while waiting (or before)
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <T> T await(CompletionStage<T> stage, AwaitCancellation onCancel) throws Exception {
        return FutureWait.await(stage, onCancel);
    }
}
