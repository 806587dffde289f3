package dev.weft;

/**
 * Thrown when two tasks use a resource that allows one user at a time: a second task
 * receiving from a stream while another is blocked receiving from it, or sending while
 * another sends. Trio's {@code BusyResourceError}. It signals a bug in the program: give
 * each direction of a stream to one task, or guard it with a {@code Lock}.
 */
public class BusyResourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was busy, and with what
     */
    public BusyResourceException(String message) {
        super(message);
    }
}
