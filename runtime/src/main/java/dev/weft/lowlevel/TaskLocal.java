package dev.weft.lowlevel;

import dev.weft.internal.TaskCore;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value per task, inherited by the tasks it spawns: the task-scoped counterpart of
 * {@link ThreadLocal} (Trio uses context variables for this).
 *
 * <p>A child sees its parent's values as they were when it was spawned; later changes on
 * either side are not seen by the other. Reads and writes are not checkpoints and must be
 * made by a task of a run.
 * {@snippet :
 * static final TaskLocal<String> REQUEST_ID = TaskLocal.withInitial("requestId", () -> "-");
 * REQUEST_ID.set("r-42");
 * n.startSoon(() -> log(REQUEST_ID.get()));   // logs r-42
 * }
 *
 * @implNote Each task holds its values in one small array, copied when a task sets a value,
 * so spawning a task copies nothing.
 *
 * @param <T> the value's type
 */
public final class TaskLocal<T> {
    private final String name;
    private final Supplier<? extends T> initial;

    private TaskLocal(String name, Supplier<? extends T> initial) {
        this.name = Objects.requireNonNull(name, "name");
        this.initial = Objects.requireNonNull(initial, "initial");
    }

    /**
     * Creates a task-local whose value is {@code initial.get()} in tasks that never set it.
     *
     * @param name a name for messages
     * @param initial the initial value's supplier, called on each read of an unset value
     * @param <T> the value's type
     * @return a new task-local
     */
    public static <T> TaskLocal<T> withInitial(String name, Supplier<? extends T> initial) {
        return new TaskLocal<>(name, initial);
    }

    /**
     * Creates a task-local whose initial value is null.
     *
     * @param name a name for messages
     * @param <T> the value's type
     * @return a new task-local
     */
    public static <T> TaskLocal<T> named(String name) {
        return new TaskLocal<>(name, () -> null);
    }

    /**
     * Returns the current task's value.
     *
     * @return the value
     * @throws IllegalStateException if called outside a run
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object[] values = TaskCore.current("TaskLocal(" + name + ").get()").locals();
        if (values != null) {
            for (int i = 0; i < values.length; i += 2) {
                if (values[i] == this) {
                    return (T) values[i + 1];
                }
            }
        }
        return initial.get();
    }

    /**
     * Sets the current task's value; tasks it spawns from now on inherit it.
     *
     * @param value the value
     * @throws IllegalStateException if called outside a run
     */
    public void set(T value) {
        TaskCore task = TaskCore.current("TaskLocal(" + name + ").set()");
        Object[] values = task.locals();
        if (values != null) {
            for (int i = 0; i < values.length; i += 2) {
                if (values[i] == this) {
                    Object[] copy = values.clone();
                    copy[i + 1] = value;
                    task.locals(copy);
                    return;
                }
            }
        }
        Object[] copy = values == null ? new Object[2] : Arrays.copyOf(values, values.length + 2);
        copy[copy.length - 2] = this;
        copy[copy.length - 1] = value;
        task.locals(copy);
    }

    @Override
    public String toString() {
        return "TaskLocal[" + name + "]";
    }
}
