package dev.weft;

/**
 * Thrown when code uses a resource handle that was closed: its own handle, closed by this
 * task or another one. Trio's {@code ClosedResourceError}.
 *
 * <p>It signals a bug in the program's shutdown order rather than a condition of the
 * outside world: sending on a send channel after closing it, or a task blocked in
 * {@code receive} when another task closes that same receive end. When the <em>other</em>
 * side went away, the runtime throws {@link BrokenResourceException} instead.
 *
 * <p>It lives in {@code dev.weft} because channels, streams and every other closeable
 * resource throw it; see {@link BrokenResourceException}.
 */
public class ClosedResourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which handle was closed and what the caller tried to do with it
     */
    public ClosedResourceException(String message) {
        super(message);
    }
}
