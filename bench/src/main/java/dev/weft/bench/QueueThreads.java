package dev.weft.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The virtual-thread twins of {@code dev.weft.bench.subject.ChannelTransfer} and
 * {@code LockLoop}: a producer and a consumer virtual thread joined by a
 * {@link java.util.concurrent.BlockingQueue}, and one virtual thread taking an uncontended
 * {@link ReentrantLock}.
 *
 * <p>A parent virtual thread starts both players and joins them, so that on one carrier
 * neither runs before the other exists (as in {@code PingPongThreads}); the benchmark thread
 * joins the parent. Only {@code VirtualThreads.start} and {@code requireOneCarrier} are used. The values are the same preallocated boxes as the Weft subject's, and
 * the end of the stream is a sentinel box.
 */
final class QueueThreads {
    private static final Integer[] VALUES = new Integer[1024];
    private static final Integer END = Integer.MIN_VALUE;

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = i + 1000;
        }
    }

    private QueueThreads() {
    }

    /** {@link SynchronousQueue}: the counterpart of a rendezvous channel. @param messages values @return their sum */
    static long synchronous(int messages) {
        return transfer(new SynchronousQueue<>(), messages);
    }

    /**
     * {@link ArrayBlockingQueue}: the counterpart of a buffered channel.
     *
     * @param capacity the queue's capacity
     * @param messages values
     * @return their sum
     */
    static long arrayBlocking(int capacity, int messages) {
        return transfer(new ArrayBlockingQueue<>(capacity), messages);
    }

    private static long transfer(BlockingQueue<Integer> queue, int messages) {
        long[] sum = new long[1];
        Runnable producer = () -> {
            try {
                for (int i = 0; i < messages; i++) {
                    queue.put(VALUES[i & 1023]);
                }
                queue.put(END);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Runnable consumer = () -> {
            try {
                long s = 0;
                for (Integer v; (v = queue.take()) != END; ) {
                    s += v;
                }
                sum[0] = s;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        join(VirtualThreads.start(() -> {
            // Started from the parent: on one carrier neither runs until the parent blocks.
            Thread p = VirtualThreads.start(producer);
            Thread c = VirtualThreads.start(consumer);
            join(p);
            join(c);
        }));
        return sum[0];
    }

    /**
     * One virtual thread locks and unlocks an uncontended {@link ReentrantLock} {@code times}
     * times.
     *
     * @param lock the lock
     * @param times rounds
     * @return how many times it held the lock
     */
    static int lockLoop(ReentrantLock lock, int times) {
        int[] held = new int[1];
        join(VirtualThreads.start(() -> {
            int h = 0;
            for (int i = 0; i < times; i++) {
                lock.lock();
                try {
                    h++;
                } finally {
                    lock.unlock();
                }
            }
            held[0] = h;
        }));
        return held[0];
    }

    static long expectedSum(int messages) {
        long s = 0;
        for (int i = 0; i < messages; i++) {
            s += VALUES[i & 1023];
        }
        return s;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining " + t, e);
        }
    }
}
