package dev.weft.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The virtual-thread twin of {@code dev.weft.bench.subject.ParkedTasks}: measures the heap
 * a parked virtual thread holds. It starts {@code threads} virtual threads that park until
 * released (the counterpart of {@code Weft.sleepForever()}: parked with no timer), waits
 * until every one of them is parked, and takes a class histogram of the live heap
 * ({@link HeapHistogram#take()}) then and just before they were started. Then it releases
 * them and joins them.
 *
 * <p>What is counted: each thread's {@code VirtualThread} object, its continuation and the
 * stack chunk its frames were frozen into, whatever the JDK keeps per thread (its thread
 * container, when {@code jdk.trackAllThreads} is on), and the {@code Thread[]} that lets
 * the benchmark join them later, 4 bytes a thread, as Weft's count includes the links by
 * which a nursery finds its children.
 *
 * <p>Like the Weft twin it measures two rounds in one JVM and returns all four histograms.
 */
final class ParkedThreads {
    private final int threads;
    /** Set to let the parked threads end. Written by the measuring thread. */
    private volatile boolean released;

    /**
     * @param threads threads to park, at least 1
     */
    ParkedThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
    }

    /**
     * Measures twice.
     *
     * @return the histograms before and while parked, first round then second
     */
    HeapHistogram[] measure() {
        HeapHistogram[] out = new HeapHistogram[4];
        round(out, 0);
        round(out, 2);
        return out;
    }

    private void round(HeapHistogram[] out, int at) {
        released = false;
        CountDownLatch started = new CountDownLatch(threads);
        Runnable body = () -> {
            started.countDown();
            while (!released) {
                LockSupport.park(this);
            }
        };
        out[at] = HeapHistogram.take();
        Thread[] all = new Thread[threads];
        for (int i = 0; i < all.length; i++) {
            all[i] = VirtualThreads.start(body);
        }
        awaitAllParked(started, all);
        out[at + 1] = HeapHistogram.take();
        released = true;
        for (Thread t : all) {
            LockSupport.unpark(t);
        }
        for (Thread t : all) {
            VirtualThreads.join(t);
        }
    }

    private static void awaitAllParked(CountDownLatch started, Thread[] all) {
        try {
            started.await();
            for (Thread t : all) {
                while (t.getState() != Thread.State.WAITING) {
                    Thread.sleep(1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the threads to park", e);
        }
    }
}
