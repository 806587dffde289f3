package dev.weft.lowlevel;

import dev.weft.Cancelled;

/**
 * What a parked task does when it is cancelled: the abort callback given to
 * {@link Lowlevel#park(Abort)}.
 *
 * <p>The scheduler calls it at most once, on the scheduler thread, when the parked task's
 * cancel status becomes effectively cancelled (or at once, if the task parks while already
 * cancelled). The callback must undo the task's registration with whatever it waits on
 * (remove it from a wait queue, a timer, a selector) and answer whether it could:
 * <ul>
 *   <li>{@link AbortResult#SUCCEEDED}: nothing will wake the task any more; the scheduler
 *       resumes it with {@code cancelled}, which {@code park} throws.
 *   <li>{@link AbortResult#FAILED}: the operation cannot be abandoned (it has already
 *       taken effect, or must finish first); whoever holds the task must wake it later with
 *       {@link Lowlevel#reschedule}. The task then sees the cancellation at its next
 *       checkpoint, since cancellation is level-triggered.
 * </ul>
 */
@FunctionalInterface
public interface Abort {

    /** The callback of a park that can always be abandoned, with nothing to undo. */
    Abort ALWAYS = cancelled -> AbortResult.SUCCEEDED;

    /** The callback of a park that must not be interrupted by cancellation. */
    Abort NEVER = cancelled -> AbortResult.FAILED;

    /**
     * Tries to abandon the wait.
     *
     * @param cancelled the exception the task will get if the abort succeeds; a callback that
     *     fails may keep it to hand over later
     * @return whether the task may be resumed with {@code cancelled} now
     */
    AbortResult abort(Cancelled cancelled);
}
