package dev.weft.internal;

import dev.weft.Nursery;

/**
 * What a task belongs to: a nursery, or the run itself for the main task and the system
 * tasks. Told once when each of its tasks exits.
 */
public interface TaskParent {

    /**
     * Called on the scheduler thread right after {@code child} exited.
     *
     * @param child the task
     * @param failure what it threw, or null if it returned
     */
    void childExited(TaskCore child, Throwable failure);

    /** The public nursery this parent is, or null for the run. @return the nursery */
    Nursery nursery();
}
