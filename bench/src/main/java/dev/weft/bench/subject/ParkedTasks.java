package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.bench.HeapHistogram;
import dev.weft.lowlevel.Lowlevel;

/**
 * A main task that measures the heap a parked task holds: it takes a class histogram of the
 * live heap ({@link HeapHistogram#take()}), starts {@code tasks} children that all sleep
 * forever, waits until every one of them is parked, and takes another. Then it cancels the
 * children and waits for them to end.
 *
 * <p>It does this twice in the same run and returns all four histograms: the first round
 * grows the scheduler's run queue to hold every child at once, and the second reuses it, so
 * the second round is what one more parked task costs and the difference is the scheduler's
 * share of a burst of spawns.
 *
 * <p>{@link dev.weft.bench.ParkedMemoryBenchmark} runs the woven copy as the main task of a
 * run; {@link dev.weft.bench.ParkedThreads} is the same measurement for virtual threads.
 */
public final class ParkedTasks implements AsyncCallable<HeapHistogram[]> {
    private final int tasks;

    /**
     * @param tasks children to park, at least 1
     */
    public ParkedTasks(int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be >= 1, was " + tasks);
        }
        this.tasks = tasks;
    }

    /**
     * Measures twice.
     *
     * @return the histograms before and while parked, first round then second
     */
    @Override
    @Async
    public HeapHistogram[] call() {
        HeapHistogram[] out = new HeapHistogram[4];
        round(out, 0);
        round(out, 2);
        return out;
    }

    @Async
    private void round(HeapHistogram[] out, int at) {
        int count = tasks;
        Nursery.open(n -> {
            out[at] = HeapHistogram.take();
            for (int i = 0; i < count; i++) {
                n.startSoon(() -> Weft.sleepForever());
            }
            Lowlevel.waitAllTasksBlocked(0);
            out[at + 1] = HeapHistogram.take();
            n.cancelScope().cancel();
        });
    }
}
