package dev.weft;

import dev.weft.annotation.Async;
import dev.weft.internal.RunLoop;
import dev.weft.internal.Sneaky;
import dev.weft.internal.TaskCore;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * One {@link Weft#await} of an incomplete stage: the completion callback, which may run on
 * any thread and only posts, and the delivery and abort, on the run's thread.
 *
 * <h2>States</h2>
 * <pre>
 *   waiting --stage completes (callback posts)--> delivered (task woken with the outcome)
 *      \--cancelled--> gone (future cancelled, or left alone) --callback posts--> dropped
 * </pre>
 */
final class FutureWait<T> implements Abort, BiConsumer<T, Throwable> {
    private final RunLoop loop;
    private final TaskCore task;
    /** The stage as a future, to cancel; null if the stage cannot give one. */
    private final CompletableFuture<T> future;
    private final AwaitCancellation onCancel;

    /** The outcome: written by the completing thread before it posts; read by {@link #deliver} after. */
    private T value;
    private Throwable failure;
    /** True while the task is parked here. Run's thread only. */
    private boolean waiting;

    private FutureWait(TaskCore task, CompletableFuture<T> future, AwaitCancellation onCancel) {
        this.task = task;
        this.loop = task.loop();
        this.future = future;
        this.onCancel = onCancel;
    }

    /** The body of {@link Weft#await(CompletionStage, AwaitCancellation)}. */
    @Async
    @SuppressWarnings("unchecked")
    static <T> T await(CompletionStage<T> stage, AwaitCancellation onCancel) throws Exception {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(onCancel, "onCancel");
        TaskCore task = TaskCore.current("Weft.await");
        CompletableFuture<T> future = asFuture(stage);
        if (future != null && future.isDone()) {
            Weft.checkpoint();
            try {
                return future.join();
            } catch (CompletionException e) {
                throw Sneaky.rethrow(unwrap(e));
            }
        }
        FutureWait<T> w = new FutureWait<>(task, future, onCancel);
        w.waiting = true;
        stage.whenComplete(w);
        return (T) Lowlevel.park(w);
    }

    private static <T> CompletableFuture<T> asFuture(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Takes off the wrappers the JDK puts around a failure.
     *
     * @param t a failure
     * @return its cause, through any {@link CompletionException} and {@link ExecutionException}
     */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The stage's completion, on whatever thread completed it. */
    @Override
    public void accept(T v, Throwable e) {
        value = v;
        failure = e;
        loop.post(this::deliver);
    }

    private void deliver() {
        if (waiting) {
            waiting = false;
            loop.reschedule(task, value, failure == null ? null : unwrap(failure));
        }
    }

    @Override
    public AbortResult abort(Cancelled cancelled) {
        waiting = false;
        if (onCancel == AwaitCancellation.CANCEL_FUTURE && future != null) {
            // Runs the future's dependents here, among them this wait's own callback, which
            // only posts a delivery that finds nobody waiting.
            future.cancel(true);
        }
        return AbortResult.SUCCEEDED;
    }
}
