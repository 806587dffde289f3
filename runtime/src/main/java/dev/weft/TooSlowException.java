package dev.weft;

/**
 * Thrown by {@link CancelScope#failAfter} and {@link CancelScope#failAt} scopes when their own
 * deadline expired before the body finished: the failing counterpart of
 * {@link CancelScope#moveOnAfter}.
 *
 * <p>Thrown only when that scope's deadline is what cancelled it; if the scope was
 * cancelled some other way, it ends as a plain cancel scope does.
 */
public final class TooSlowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooSlowException(String message) {
        super(message);
    }
}
