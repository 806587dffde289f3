package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.Nursery;
import dev.weft.annotation.Async;

/**
 * A main task that opens one nursery, starts {@code tasks} children that do nothing, and
 * returns once they have all ended: spawn and join in their purest form.
 *
 * <p>{@link dev.weft.bench.SpawnBenchmark} runs the woven copy as the main task of a run.
 * The nursery's block starts every child before it ends, so the children run in one batch
 * after it, while the main task waits in the nursery.
 * {@link dev.weft.bench.SpawnedThreads} is the same shape for virtual threads.
 */
public final class SpawnJoin implements AsyncCallable<Object> {
    private final int tasks;

    /**
     * @param tasks children to start, at least 0
     */
    public SpawnJoin(int tasks) {
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be >= 0, was " + tasks);
        }
        this.tasks = tasks;
    }

    @Override
    @Async
    public Object call() {
        int count = tasks;
        Nursery.open(n -> {
            for (int i = 0; i < count; i++) {
                n.startSoon(() -> { });
            }
        });
        return count;
    }
}
