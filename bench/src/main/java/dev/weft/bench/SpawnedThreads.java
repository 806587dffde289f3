package dev.weft.bench;

/**
 * The virtual-thread twin of {@code dev.weft.bench.subject.SpawnJoin}: a parent virtual
 * thread starts {@code threads} virtual threads that do nothing, then joins each of them.
 *
 * <p>The parent is itself a virtual thread, so that, on one carrier, starting, running and
 * joining all happen on that carrier, as Weft's spawns and joins all happen on the run's
 * thread; started from the benchmark's platform thread, the starts would overlap the
 * children's runs on a second core. The parent keeps its children in an array, which it
 * reuses from one invocation to the next, to join them.
 */
final class SpawnedThreads implements Runnable {
    private static final Runnable NOTHING = () -> { };

    private final Thread[] children;

    /**
     * @param threads children per invocation, at least 0
     */
    SpawnedThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
        this.children = new Thread[threads];
    }

    /** Starts the parent and waits for it, and so for every child. */
    void spawnAndJoin() {
        VirtualThreads.join(VirtualThreads.start(this));
    }

    /** The parent's body: start every child, then join each, oldest first. */
    @Override
    public void run() {
        Thread[] c = children;
        for (int i = 0; i < c.length; i++) {
            c[i] = VirtualThreads.start(NOTHING);
        }
        for (int i = 0; i < c.length; i++) {
            VirtualThreads.join(c[i]);
            c[i] = null;
        }
    }
}
