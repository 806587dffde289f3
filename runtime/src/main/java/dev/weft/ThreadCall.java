package dev.weft;

import dev.weft.annotation.Async;
import dev.weft.internal.RunLoop;
import dev.weft.internal.TaskCore;
import dev.weft.internal.WorkerPool;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.sync.CapacityLimiter;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One {@link Weft#runInThread} call: the task's side (borrow a token, hand the callable to a
 * worker, park) and the worker's side (run it, post the outcome back). Trio's
 * {@code to_thread.run_sync}.
 *
 * <h2>States</h2>
 * <pre>
 *   borrowing --token--> waiting --worker posts the outcome--> delivered (token released; task woken)
 *                          |
 *                          \--cancelled: ABANDON--> abandoned --worker posts--> token released, outcome dropped
 *                          \--cancelled: WAIT / INTERRUPT_AND_WAIT--> still waiting (the abort fails)
 * </pre>
 * The call object is also the limiter's borrower, so the token is released on behalf of the
 * call when the thread finishes, whether or not the task still waits.
 */
final class ThreadCall<T> implements WorkerPool.Job, Abort {
    /** Tokens of a run's default limiter: Trio's default. */
    static final int DEFAULT_TOKENS = 40;

    /** The run service that holds the run's default limiter. */
    private record DefaultLimiter(CapacityLimiter limiter) {
    }

    private final Callable<T> fn;
    private final RunLoop loop;
    private final TaskCore task;
    private final ThreadOptions.OnCancel onCancel;
    /** The limiter a token was borrowed from, or null when the call is not limited. */
    private final CapacityLimiter limiter;

    /**
     * The outcome. Written by the worker before it posts {@link #deliver}; read on the run's
     * thread by {@code deliver}, which the post orders after the writes.
     */
    private T value;
    private Throwable failure;

    /** The worker running the callable, once it has started. Guarded by {@code this}. */
    private Thread worker;
    /** Set when the callable has returned; no interrupt is sent after. Guarded by {@code this}. */
    private boolean workDone;
    /** Set by an INTERRUPT_AND_WAIT cancellation, maybe before the worker starts. Guarded by {@code this}. */
    private boolean interruptRequested;

    /**
     * True while the task is parked waiting for the outcome. Run's thread only. Invariant:
     * the task is woken by {@link #deliver} exactly when this is true when the outcome comes.
     */
    private boolean waiting;

    private ThreadCall(Callable<T> fn, TaskCore task, ThreadOptions.OnCancel onCancel, CapacityLimiter limiter) {
        this.fn = fn;
        this.task = task;
        this.loop = task.loop();
        this.onCancel = onCancel;
        this.limiter = limiter;
    }

    /** Returns the run's default limiter, making it on first use. Run's thread only. */
    static CapacityLimiter defaultLimiter(RunLoop loop) {
        return loop.service(DefaultLimiter.class,
                () -> new DefaultLimiter(new CapacityLimiter(DEFAULT_TOKENS))).limiter();
    }

    /** The body of {@link Weft#runInThread(Callable, ThreadOptions)}. */
    @Async
    @SuppressWarnings("unchecked")
    static <T> T run(Callable<T> fn, ThreadOptions options) throws Exception {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(options, "options");
        TaskCore task = TaskCore.current("Weft.runInThread");
        CapacityLimiter limiter = !options.isLimited() ? null
                : options.limiter() != null ? options.limiter() : defaultLimiter(task.loop());
        ThreadCall<T> call = new ThreadCall<>(fn, task, options.onCancel(), limiter);
        if (limiter != null) {
            // A checkpoint: a cancelled task starts no thread.
            limiter.acquireOnBehalfOf(call);
        } else {
            Weft.checkpointIfCancelled();
        }
        try {
            WorkerPool.of(call.loop).execute(call);
        } catch (RuntimeException | Error e) {
            if (limiter != null) {
                limiter.releaseOnBehalfOf(call);
            }
            throw e;
        }
        call.waiting = true;
        return (T) Lowlevel.park(call);
    }

    // ---------------------------------------------------------------- the worker's side

    @Override
    public void work() {
        synchronized (this) {
            worker = Thread.currentThread();
            if (interruptRequested) {
                worker.interrupt();
            }
        }
        try {
            value = fn.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (this) {
                workDone = true;
            }
        }
    }

    @Override
    public void report() {
        // False only once the run has ended, and a run cannot end while its task waits here:
        // the outcome of an abandoned call is dropped, as documented.
        loop.post(this::deliver);
    }

    // ---------------------------------------------------------------- the run's side

    private void deliver() {
        if (limiter != null) {
            limiter.releaseOnBehalfOf(this);
        }
        if (waiting) {
            waiting = false;
            loop.reschedule(task, value, failure);
        }
    }

    @Override
    public AbortResult abort(Cancelled cancelled) {
        switch (onCancel) {
            case ABANDON:
                waiting = false;
                return AbortResult.SUCCEEDED;
            case INTERRUPT_AND_WAIT:
                synchronized (this) {
                    interruptRequested = true;
                    if (worker != null && !workDone) {
                        worker.interrupt();
                    }
                }
                return AbortResult.FAILED;
            default:
                return AbortResult.FAILED;
        }
    }

    @Override
    public String toString() {
        return "Weft.runInThread(" + fn + ") of task '" + task.name() + "'";
    }
}
