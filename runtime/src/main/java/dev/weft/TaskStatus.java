package dev.weft;

import dev.weft.internal.TaskCore;

/**
 * How a task started with {@link Nursery#start} reports that it is ready.
 *
 * <p>Until {@link #started(Object)} is called the task belongs to the starter (a failure
 * reaches the starter bare); the call moves the task into the nursery it was started for
 * and lets {@code start} return the value. Methods must be called on the run's thread; not
 * checkpoints.
 *
 * @param <T> the type of the value handed over
 */
public final class TaskStatus<T> {
    private final Nursery target;
    private Nursery temporary;
    private TaskCore task;
    private boolean started;
    private T value;

    TaskStatus(Nursery target) {
        this.target = target;
    }

    void begin(Nursery temporary, TaskCore task) {
        this.temporary = temporary;
        this.task = task;
        task.setEventualParent(target);
    }

    /**
     * Reports readiness without a value: {@code start} returns null.
     *
     * @throws IllegalStateException as {@link #started(Object)}
     */
    public void started() {
        started(null);
    }

    /**
     * Reports readiness: {@code start} returns {@code value}, and the task moves into the
     * nursery it was started for.
     *
     * @param value what {@code start} returns
     * @throws IllegalStateException if called twice, or if the target nursery has closed
     */
    public void started(T value) {
        if (started) {
            throw new IllegalStateException("status.started() was called twice for task '" + taskName() + "'");
        }
        if (target.state() == Nursery.State.CLOSED) {
            throw new IllegalStateException("status.started(): task '" + taskName() + "' cannot move into " + target
                    + ", which has closed");
        }
        started = true;
        this.value = value;
        temporary.release(task);
        target.adopt(task);
        task.reparent(target.asParent());
        task.transferScopes(temporary.scopeCore(), target.scopeCore());
    }

    boolean isStarted() {
        return started;
    }

    T value() {
        return value;
    }

    String taskName() {
        return task == null ? "?" : task.name();
    }
}
