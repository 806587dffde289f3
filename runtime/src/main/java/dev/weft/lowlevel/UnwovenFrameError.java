package dev.weft.lowlevel;

/**
 * Thrown when a task tries to suspend while a frame that was not woven sits between the
 * suspension point and the task's entry.
 *
 * <p>Suspension unwinds the stack by returning; an unwoven frame would carry on running
 * after its callee returned early, so Weft refuses to suspend through one. This is a build
 * problem, not a condition to handle: it extends {@link Error} so that
 * {@code catch (Exception e)} cannot swallow it. The message names the frame; the usual
 * causes are a class that the Maven plugin or the agent did not weave, or an
 * {@code @Async} method reached through reflection or a callback that is not async.
 */
public final class UnwovenFrameError extends Error {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what was suspended, through which frame, and the fix
     */
    public UnwovenFrameError(String message) {
        super(message);
    }
}
