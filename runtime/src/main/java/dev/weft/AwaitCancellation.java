package dev.weft;

/**
 * What {@link Weft#await(java.util.concurrent.CompletionStage, AwaitCancellation)} does when
 * the waiting task is cancelled. Either way the task throws {@link Cancelled} at once.
 */
public enum AwaitCancellation {
    /**
     * Cancel the future ({@code stage.toCompletableFuture().cancel(true)}), then throw: the
     * work is not wanted any more. The default.
     */
    CANCEL_FUTURE,
    /**
     * Only stop waiting: the future is left to complete, and its outcome is dropped. For
     * futures shared with other code, or whose completion must not be disturbed (a
     * process's {@code onExit()}).
     */
    STOP_WAITING
}
