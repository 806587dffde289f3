package dev.weft.lowlevel;

/** The answer of an {@link Abort} callback. */
public enum AbortResult {
    /** The wait was undone; the scheduler resumes the task with its cancellation. */
    SUCCEEDED,
    /** The wait stays in place; whoever holds the task will reschedule it. */
    FAILED
}
