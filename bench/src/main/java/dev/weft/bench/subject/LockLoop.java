package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.annotation.Async;
import dev.weft.sync.Lock;

/**
 * A main task that takes and releases an uncontended {@link Lock} {@code times} times and
 * returns how many times it held it.
 *
 * <p>{@code blocking} chooses the acquire: {@code true} uses {@code acquire()}, a
 * checkpoint, so every round also passes a schedule point (the task goes through the run
 * queue and back even though nothing else is runnable); {@code false} uses
 * {@code tryAcquire()}, which never blocks nor yields. Both register and unregister the owner
 * as the lock's breaker each round.
 */
public final class LockLoop implements AsyncCallable<Object> {
    private final int times;
    private final boolean blocking;
    private final Lock lock = new Lock();

    /**
     * @param times rounds, at least 0
     * @param blocking whether to take the lock with {@code acquire()} rather than {@code tryAcquire()}
     */
    public LockLoop(int times, boolean blocking) {
        this.times = times;
        this.blocking = blocking;
    }

    @Override
    @Async
    public Object call() {
        int held = 0;
        Lock l = lock;
        if (blocking) {
            for (int i = 0; i < times; i++) {
                l.acquire();
                held++;
                l.release();
            }
        } else {
            for (int i = 0; i < times; i++) {
                if (l.tryAcquire()) {
                    held++;
                    l.release();
                }
            }
        }
        return held;
    }
}
