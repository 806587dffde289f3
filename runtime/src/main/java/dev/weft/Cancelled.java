package dev.weft;

/**
 * Thrown at a checkpoint of a task whose cancel scope has been cancelled; caught by that
 * scope on its way out.
 *
 * <p>Cancellation in Weft is level-triggered: once a scope is cancelled, every checkpoint
 * inside it throws a new {@code Cancelled} until the code leaves the scope, so catching one
 * and carrying on only delays the cancellation to the next checkpoint. Catch it only to
 * clean up, and rethrow it. The scope that caused it catches it when it reaches the scope's
 * end (the outermost cancelled scope, if several are); code outside sees a normal return.
 *
 * <p>It extends {@link Error}, not {@link Exception}, so that {@code catch (Exception e)}
 * cannot swallow it, and it has no public constructor: only the scheduler raises it.
 * {@code finally} blocks and try-with-resources run as usual.
 */
public final class Cancelled extends Error {
    private static final long serialVersionUID = 1L;

    private final transient CancelReason reason;

    static {
        dev.weft.internal.Secrets.setCancelledFactory(Cancelled::new);
    }

    private Cancelled(CancelReason reason, String taskName) {
        super(reason + (taskName == null ? "" : "; raised in task '" + taskName + "'"));
        this.reason = reason;
    }

    /**
     * Returns why the scope was cancelled.
     *
     * @return the scope's first cancel reason
     */
    public CancelReason reason() {
        return reason;
    }
}
