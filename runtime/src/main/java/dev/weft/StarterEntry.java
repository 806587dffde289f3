package dev.weft;

import dev.weft.annotation.Async;

/** Runs a {@link TaskStarter} as a task's entry, handing it its status. */
final class StarterEntry<T> implements AsyncCallable<Object> {
    private final TaskStarter<T> fn;
    private final TaskStatus<T> status;

    StarterEntry(TaskStarter<T> fn, TaskStatus<T> status) {
        this.fn = fn;
        this.status = status;
    }

    @Async
    @Override
    public Object call() throws Exception {
        fn.run(status);
        return null;
    }
}
