package dev.weft.bench;

/**
 * The virtual-thread twin of {@code dev.weft.bench.subject.SwitchChain}: a body that
 * descends {@code depth} frames and calls {@link Thread#yield()} there, {@code yields}
 * times, either descending afresh for each yield (the loop in the entry) or looping at the
 * leaf.
 */
final class YieldChain implements Runnable {
    private final int depth;
    private final boolean loopAtLeaf;
    private final int yields;

    /**
     * @param depth frames from the entry to the one that yields, at least 1
     * @param loopAtLeaf loop on the yield at the leaf rather than in the entry
     * @param yields how many times to yield
     */
    YieldChain(int depth, boolean loopAtLeaf, int yields) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, was " + depth);
        }
        this.depth = depth;
        this.loopAtLeaf = loopAtLeaf;
        this.yields = yields;
    }

    @Override
    public void run() {
        int d = depth;
        if (loopAtLeaf) {
            downThenLoop(d);
            return;
        }
        for (int i = 0; i < yields; i++) {
            down(d);
        }
    }

    private void down(int n) {
        if (n > 1) {
            down(n - 1);
        } else {
            Thread.yield();
        }
    }

    private void downThenLoop(int n) {
        if (n > 1) {
            downThenLoop(n - 1);
        } else {
            for (int i = 0; i < yields; i++) {
                Thread.yield();
            }
        }
    }
}
