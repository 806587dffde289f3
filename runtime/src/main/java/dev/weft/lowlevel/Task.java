package dev.weft.lowlevel;

import dev.weft.Nursery;
import java.util.List;

/**
 * A task of a run, as seen by instruments, tests and low-level code. Obtained from
 * {@link Lowlevel#currentTask()} or an {@link Instrument}'s callbacks.
 *
 * <p>A task's methods read the scheduler's state: call them on the run's thread (from a
 * task, an instrument, or code the run calls). They are not checkpoints.
 */
public interface Task {

    /** Returns the task's name: the one given when it was spawned, or {@code task-<id>}. @return the name */
    String name();

    /** Returns a number unique within the run, in spawn order; the main task is 1. @return the id */
    long id();

    /** Returns whether this is a system task (see {@link Lowlevel#spawnSystemTask}). @return true if so */
    boolean isSystemTask();

    /**
     * Returns the nursery the task belongs to, or null for the main task and system tasks.
     *
     * @return the parent nursery
     */
    Nursery parentNursery();

    /**
     * Returns, while the task was started with {@code Nursery.start} and has not yet called
     * {@code started}, the nursery it will move into; null otherwise.
     *
     * @return the eventual parent nursery
     */
    Nursery eventualParentNursery();

    /** Returns the nurseries this task has open, outermost first. @return a snapshot */
    List<Nursery> childNurseries();

    /**
     * Returns how many schedule points the task has passed: each time it gave up the thread
     * (a park or a yield).
     *
     * @return the count
     */
    int schedulePoints();

    /**
     * Returns how many cancel points the task has passed: each place where a cancellation
     * would have been delivered.
     *
     * @return the count
     */
    int cancelPoints();

    /** Returns the task's state: RUNNABLE, RUNNING, PARKED or DONE. @return the state's name */
    String stateName();
}
