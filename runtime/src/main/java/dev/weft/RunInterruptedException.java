package dev.weft;

/**
 * Thrown by {@link Weft#run} when the run was interrupted (Ctrl+C, that is SIGINT, or
 * {@link Runner#interrupt}) and the main task ended through the cancellation that the
 * interrupt caused.
 *
 * <p>The JVM cannot throw into running code, so an interrupt cancels the whole run: every
 * task sees a {@link Cancelled} whose reason has source
 * {@link CancelReason.Source#INTERRUPT} at its next checkpoint, unwinds through its
 * {@code finally} blocks, and then {@code run} throws this exception.
 */
public final class RunInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
