package dev.weft;

import dev.weft.annotation.Async;

/**
 * A task body for {@link Nursery#start}: it must call {@link TaskStatus#started(Object)} once
 * it is ready (a server once it listens, say), which hands a value to the starter.
 *
 * @param <T> the type of the value handed over
 */
@FunctionalInterface
public interface TaskStarter<T> {
    /**
     * Runs the task.
     *
     * @param status where to report readiness
     * @throws Exception if the task fails
     */
    @Async
    void run(TaskStatus<T> status) throws Exception;
}
