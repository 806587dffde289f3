package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.Testing;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks every lock-like primitive must pass, whatever it is made of: exclusion, FIFO
 * fairness, and a {@code tryAcquire} that holds off {@code acquire}. Ported from
 * python-trio/trio {@code src/trio/_tests/test_sync.py} ({@code test_generic_lock_*}); used by
 * {@link GenericLockTest} for the primitives of {@code dev.weft.sync} and by the channel tests
 * for locks built from channels.
 */
public final class LockLikeChecks {
    private LockLikeChecks() {
    }

    /** Something with a blocking acquire, a non-blocking one, and a release. */
    public interface LockLike {
        /** Takes the lock, waiting if needed. */
        @Async
        void acquire();

        /** Takes the lock if free. @return true if taken */
        boolean tryAcquire();

        /** Gives the lock back. */
        void release();
    }

    /** A {@link Lock} or {@link StrictFIFOLock}. @param lock the lock @return the adapter */
    public static LockLike of(Lock lock) {
        return new LockLike() {
            @Async
            @Override
            public void acquire() {
                lock.acquire();
            }

            @Override
            public boolean tryAcquire() {
                return lock.tryAcquire();
            }

            @Override
            public void release() {
                lock.release();
            }
        };
    }

    /** A {@link Semaphore}. @param s the semaphore @return the adapter */
    public static LockLike of(Semaphore s) {
        return new LockLike() {
            @Async
            @Override
            public void acquire() {
                s.acquire();
            }

            @Override
            public boolean tryAcquire() {
                return s.tryAcquire();
            }

            @Override
            public void release() {
                s.release();
            }
        };
    }

    /** A {@link CapacityLimiter}. @param c the limiter @return the adapter */
    public static LockLike of(CapacityLimiter c) {
        return new LockLike() {
            @Async
            @Override
            public void acquire() {
                c.acquire();
            }

            @Override
            public boolean tryAcquire() {
                return c.tryAcquire();
            }

            @Override
            public void release() {
                c.release();
            }
        };
    }

    /** A {@link Condition}, used through its lock methods. @param c the condition @return the adapter */
    public static LockLike of(Condition c) {
        return new LockLike() {
            @Async
            @Override
            public void acquire() {
                c.acquire();
            }

            @Override
            public boolean tryAcquire() {
                return c.tryAcquire();
            }

            @Override
            public void release() {
                c.release();
            }
        };
    }

    /**
     * Five workers take the lock ten times each and pass two checkpoints inside: nobody else
     * is ever inside at the same time, and every acquire happened.
     *
     * @param lock the lock under test
     */
    @Async
    public static void exclusion(LockLike lock) {
        int loops = 10;
        int workers = 5;
        boolean[] inside = new boolean[1];
        int[] acquires = new int[1];
        Nursery.open(n -> {
            for (int w = 0; w < workers; w++) {
                n.startSoon(() -> {
                    for (int i = 0; i < loops; i++) {
                        lock.acquire();
                        try {
                            acquires[0]++;
                            assertFalse(inside[0], "two tasks in the critical section");
                            inside[0] = true;
                            Weft.checkpoint();
                            Weft.checkpoint();
                            assertTrue(inside[0]);
                            inside[0] = false;
                        } finally {
                            lock.release();
                        }
                    }
                });
            }
        });
        assertFalse(inside[0]);
        assertEquals(loops * workers, acquires[0]);
    }

    /**
     * Three tasks loop taking the lock five times each: after the first round, whose order is
     * the scheduler's (random), they take it in exactly the same rotation every round.
     *
     * @param lock the lock under test
     * @return the record of who held the lock, in order, for further checks
     */
    @Async
    public static List<Integer> fifoFairness(LockLike lock) {
        int loops = 5;
        List<Integer> initialOrder = new ArrayList<>();
        List<Integer> record = new ArrayList<>();
        Nursery.open(n -> {
            for (int t = 1; t <= 3; t++) {
                int name = t;
                n.startSoon(() -> {
                    initialOrder.add(name);
                    for (int i = 0; i < loops; i++) {
                        lock.acquire();
                        try {
                            record.add(name);
                        } finally {
                            lock.release();
                        }
                    }
                });
            }
        });
        assertEquals(3 * loops, record.size());
        for (int i = 0; i < loops; i++) {
            assertEquals(initialOrder, record.subList(3 * i, 3 * i + 3), "round " + i + " of " + record);
        }
        return record;
    }

    /**
     * The main task takes the lock without blocking; a task that then asks for it waits until
     * the main task releases.
     *
     * @param lock the lock under test
     */
    @Async
    public static void tryAcquireBlocksAcquire(LockLike lock) {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            assertTrue(lock.tryAcquire());
            n.startSoon(() -> {
                record.add("started");
                lock.acquire();
                lock.release();
                record.add("finished");
            });
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("started"), record);
            lock.release();
        });
        assertEquals(List.of("started", "finished"), record);
    }
}
