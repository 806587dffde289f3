package dev.weft;

/**
 * Thrown when a resource cannot be used because something outside the caller's control
 * broke it: the other side of it has gone away. Trio's {@code BrokenResourceError}.
 *
 * <p>Examples in the runtime: sending on a memory channel whose receive ends are all
 * closed; acquiring a {@code Lock} whose owner task exited while still holding it; parking
 * in a {@code ParkingLot} that has been broken. Compare {@link ClosedResourceException},
 * which says that the caller's own handle was closed.
 *
 * <p>It lives in {@code dev.weft} rather than in {@code dev.weft.sync} or
 * {@code dev.weft.channel} because every kind of resource (locks, channels, and the streams
 * and processes to come) throws it, and code that handles it should not have to depend on
 * one of those packages to name it.
 */
public class BrokenResourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was broken, by whom, and what the caller tried to do
     */
    public BrokenResourceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was broken, by whom, and what the caller tried to do
     * @param cause the failure that broke it
     */
    public BrokenResourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
