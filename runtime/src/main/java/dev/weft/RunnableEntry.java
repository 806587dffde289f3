package dev.weft;

import dev.weft.annotation.Async;

/** Runs an {@link AsyncRunnable} as a task's entry. */
final class RunnableEntry implements AsyncCallable<Object> {
    private final AsyncRunnable fn;

    RunnableEntry(AsyncRunnable fn) {
        this.fn = fn;
    }

    @Async
    @Override
    public Object call() throws Exception {
        fn.run();
        return null;
    }
}
