package dev.weft.lowlevel;

/**
 * A listener for the scheduler's events, for tracing, metrics and tests.
 *
 * <p>Every method has an empty default, so an instrument overrides only what it needs. All
 * are called on the scheduler thread, synchronously, and must not call async code or park.
 * An instrument that throws is removed from the run, and the run prints one line naming it
 * and its failure on {@code System.err}; the run itself carries on.
 *
 * <p>Order of the per-task events: {@code taskSpawned}, then for each step
 * {@code taskScheduled}, {@code beforeTaskStep}, {@code afterTaskStep}, and finally
 * {@code taskExited} (after the last step's {@code afterTaskStep}).
 */
public interface Instrument {

    /** Called once when the run starts, before the main task is spawned. */
    default void beforeRun() {
    }

    /** Called once when the run ends, after every task has exited. */
    default void afterRun() {
    }

    /** Called when a task is created, before its first step. @param task the new task */
    default void taskSpawned(Task task) {
    }

    /** Called when a task becomes runnable. @param task the task */
    default void taskScheduled(Task task) {
    }

    /** Called just before a task runs a step. @param task the task */
    default void beforeTaskStep(Task task) {
    }

    /** Called just after a task's step has ended (it parked or exited). @param task the task */
    default void afterTaskStep(Task task) {
    }

    /** Called when a task has returned or thrown. @param task the task */
    default void taskExited(Task task) {
    }

    /**
     * Called before the scheduler waits for work from other threads, I/O or time.
     *
     * @param timeoutSeconds how long it will wait at most, in real seconds (0 means a poll,
     *     {@link Double#POSITIVE_INFINITY} no limit)
     */
    default void beforeIoWait(double timeoutSeconds) {
    }

    /** Called after that wait. @param timeoutSeconds the same value as before */
    default void afterIoWait(double timeoutSeconds) {
    }
}
