package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;

/**
 * A task body that suspends forever at stack depth {@code depth}: the entry loops, each
 * time calling {@code down(depth)}, which recurses to {@code down(1)}, which calls
 * {@link Continuation#suspend()}. With {@code loopAtLeaf}, the entry descends once and
 * {@code down(1)} loops on the suspension instead, so the stack stays deep between
 * suspensions.
 *
 * <p>{@link dev.weft.bench.SwitchBenchmark} runs the woven copy; each
 * {@link Continuation#run()} is one switch: rebuild the stack, resume, descend, suspend,
 * unwind. {@link dev.weft.bench.YieldChain} is the same shape for a virtual thread.
 */
public final class SwitchChain implements AsyncCallable<Object> {
    private final int depth;
    private final boolean loopAtLeaf;

    /**
     * @param depth frames from the entry to the one that suspends, at least 1
     * @param loopAtLeaf loop on the suspension at the leaf rather than in the entry
     */
    public SwitchChain(int depth, boolean loopAtLeaf) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, was " + depth);
        }
        this.depth = depth;
        this.loopAtLeaf = loopAtLeaf;
    }

    @Override
    @Async
    public Object call() {
        int d = depth;
        if (loopAtLeaf) {
            downThenLoop(d);
        }
        while (true) {
            down(d);
        }
    }

    @Async
    void down(int n) {
        if (n > 1) {
            down(n - 1);
        } else {
            Continuation.suspend();
        }
    }

    @Async
    void downThenLoop(int n) {
        if (n > 1) {
            downThenLoop(n - 1);
        } else {
            while (true) {
                Continuation.suspend();
            }
        }
    }
}
