package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import dev.weft.sync.LockLikeChecks.LockLike;
import dev.weft.testing.Testing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cancellation in the middle of every blocking call leaves each primitive consistent: random
 * tasks take, hold and wait on a primitive, each call inside a {@link CancelScope} whose
 * deadline (on a {@link dev.weft.testing.MockClock}) falls at a random moment: before the
 * call, while it waits, just as the resource is handed over, or while it is held. After every
 * run the primitive's statistics show no owner, borrower or waiter left behind, every
 * acquire was matched by exactly one release, exclusion held throughout, and the primitive
 * still passes the FIFO fairness check. Each property runs under {@value #SEEDS} seeds; a
 * failure names the seed that replays it.
 */
class SyncCancellationPropertyTest {

    private static final int SEEDS = 150;

    /** A deadline: often none, sometimes already past, usually within the program's span. */
    private static Duration timeout(Random r) {
        int k = r.nextInt(10);
        return k == 0 ? Duration.ZERO : k < 3 ? Duration.ofDays(1) : Duration.ofMillis(1 + r.nextInt(40));
    }

    private static Duration pause(Random r) {
        return Duration.ofMillis(r.nextInt(4) == 0 ? 0 : r.nextInt(20));
    }

    /**
     * Tasks loop: take the lock-like inside a scope with a random deadline, hold it for a random
     * time (the deadline may fall then too), release it in {@code finally}, pause. Checks that
     * at most {@code capacity} tasks are ever inside and that acquires and releases match.
     */
    @Async
    private static void churn(Random r, LockLike lock, int capacity) {
        int[] inside = {0};
        int[] acquired = {0};
        int[] released = {0};
        int[] gaveUp = {0};
        int tasks = 2 + r.nextInt(6);
        Nursery.open(n -> {
            for (int t = 0; t < tasks; t++) {
                int rounds = 1 + r.nextInt(5);
                Duration[] timeouts = new Duration[rounds];
                Duration[] holds = new Duration[rounds];
                Duration[] gaps = new Duration[rounds];
                for (int i = 0; i < rounds; i++) {
                    timeouts[i] = timeout(r);
                    holds[i] = pause(r);
                    gaps[i] = pause(r);
                }
                n.startSoon(() -> {
                    for (int i = 0; i < rounds; i++) {
                        Duration hold = holds[i];
                        boolean[] got = {false};
                        CancelScope.moveOnAfter(timeouts[i]).run(() -> {
                            lock.acquire();
                            got[0] = true;
                            acquired[0]++;
                            inside[0]++;
                            try {
                                assertTrue(inside[0] <= capacity, inside[0] + " tasks inside a lock of " + capacity);
                                Weft.sleep(hold);
                            } finally {
                                inside[0]--;
                                released[0]++;
                                lock.release();
                            }
                        });
                        if (!got[0]) {
                            gaveUp[0]++;
                        }
                        Weft.sleep(gaps[i]);
                    }
                });
            }
        });
        assertEquals(0, inside[0]);
        assertEquals(acquired[0], released[0]);
    }

    /** After a churn: nothing left behind, and the primitive still rotates fairly. */
    @Async
    private static void stillWorks(LockLike lock) {
        assertTrue(lock.tryAcquire(), "free after the churn");
        lock.release();
        LockLikeChecks.fifoFairness(lock);
    }

    @Test
    void acquire_lockCancelledAtRandomMoments_leavesNoOwnerOrWaiter() {
        SeededRuns.forEachSeed("Lock", SEEDS, r -> {
            Lock l = r.nextBoolean() ? new Lock() : new StrictFIFOLock();
            churn(r, LockLikeChecks.of(l), 1);
            assertEquals(new LockStatistics(false, null, 0), l.statistics());
            stillWorks(LockLikeChecks.of(l));
            assertEquals(new LockStatistics(false, null, 0), l.statistics());
        });
    }

    @Test
    void acquire_semaphoreCancelledAtRandomMoments_valueReturnsToItsStart() {
        SeededRuns.forEachSeed("Semaphore", SEEDS, r -> {
            int units = 1 + r.nextInt(3);
            Semaphore s = new Semaphore(units, units);
            churn(r, LockLikeChecks.of(s), units);
            assertEquals(new SemaphoreStatistics(units, units, 0), s.statistics());
            if (units == 1) {
                stillWorks(LockLikeChecks.of(s));
            }
        });
    }

    @Test
    void acquire_capacityLimiterCancelledAtRandomMoments_leavesNoBorrowerOrWaiter() {
        SeededRuns.forEachSeed("CapacityLimiter", SEEDS, r -> {
            int tokens = 1 + r.nextInt(3);
            CapacityLimiter c = new CapacityLimiter(tokens);
            churn(r, LockLikeChecks.of(c), tokens);
            assertEquals(new CapacityLimiterStatistics(0, tokens, List.of(), 0), c.statistics());
            c.setTotalTokens(1);
            stillWorks(LockLikeChecks.of(c));
            // No cancelled task's borrower is still pending: every task could borrow again.
            assertTrue(c.tryAcquireOnBehalfOf("after"));
            c.releaseOnBehalfOf("after");
        });
    }

    @Test
    void acquire_conditionLockCancelledAtRandomMoments_leavesNoOwnerOrWaiter() {
        SeededRuns.forEachSeed("Condition as a lock", SEEDS, r -> {
            Condition c = new Condition();
            churn(r, LockLikeChecks.of(c), 1);
            assertEquals(new ConditionStatistics(0, new LockStatistics(false, null, 0)), c.statistics());
            stillWorks(LockLikeChecks.of(c));
        });
    }

    /**
     * Producers add items under the lock and signal one or all; consumers wait for an item,
     * each wait under a random deadline. Whatever ends a wait, the consumer holds the lock in
     * its {@code finally}; no item is lost or taken twice.
     */
    @Test
    void await_conditionCancelledAtRandomMoments_alwaysReturnsHoldingTheLock() {
        SeededRuns.forEachSeed("Condition.await", SEEDS, r -> {
            Condition c = new Condition();
            int[] items = {0};
            int[] produced = {0};
            int[] consumed = {0};
            Nursery.open(n -> {
                int consumers = 1 + r.nextInt(5);
                for (int i = 0; i < consumers; i++) {
                    int rounds = 1 + r.nextInt(4);
                    Duration[] timeouts = new Duration[rounds];
                    for (int k = 0; k < rounds; k++) {
                        timeouts[k] = timeout(r);
                    }
                    n.startSoon(() -> {
                        Task me = Lowlevel.currentTask();
                        for (int k = 0; k < rounds; k++) {
                            CancelScope.moveOnAfter(timeouts[k]).run(() -> {
                                c.acquire();
                                try {
                                    while (items[0] == 0) {
                                        c.await();
                                    }
                                    items[0]--;
                                    consumed[0]++;
                                } finally {
                                    assertSame(me, c.lock().statistics().owner(), "await returned without the lock");
                                    c.release();
                                }
                            });
                        }
                    });
                }
                int producers = 1 + r.nextInt(3);
                for (int i = 0; i < producers; i++) {
                    int rounds = 1 + r.nextInt(4);
                    Duration[] gaps = new Duration[rounds];
                    boolean[] all = new boolean[rounds];
                    for (int k = 0; k < rounds; k++) {
                        gaps[k] = pause(r);
                        all[k] = r.nextBoolean();
                    }
                    n.startSoon(() -> {
                        for (int k = 0; k < rounds; k++) {
                            Weft.sleep(gaps[k]);
                            c.acquire();
                            try {
                                items[0]++;
                                produced[0]++;
                                if (all[k]) {
                                    c.signalAll();
                                } else {
                                    c.signal();
                                }
                            } finally {
                                c.release();
                            }
                        }
                    });
                }
            });
            assertEquals(produced[0], consumed[0] + items[0]);
            assertEquals(new ConditionStatistics(0, new LockStatistics(false, null, 0)), c.statistics());
            // Still works: a fresh waiter is woken by a signal.
            Nursery.open(n -> {
                n.startSoon(() -> {
                    c.acquire();
                    try {
                        c.await();
                    } finally {
                        c.release();
                    }
                });
                Testing.waitAllTasksBlocked();
                c.acquire();
                c.signal();
                c.release();
            });
            assertEquals(new ConditionStatistics(0, new LockStatistics(false, null, 0)), c.statistics());
        });
    }

    @Test
    void await_eventCancelledAtRandomMoments_leavesNoWaiter() {
        SeededRuns.forEachSeed("Event", SEEDS, r -> {
            Event e = new Event();
            Duration setAfter = Duration.ofMillis(r.nextInt(60));
            List<String> outcomes = new ArrayList<>();
            Nursery.open(n -> {
                int waiters = 1 + r.nextInt(6);
                for (int i = 0; i < waiters; i++) {
                    Duration t = timeout(r);
                    n.startSoon(() -> {
                        CancelScope scope = CancelScope.moveOnAfter(t);
                        scope.run(e::await);
                        outcomes.add(scope.cancelledCaught() ? "timed out" : "saw it set: " + e.isSet());
                    });
                }
                Weft.sleep(setAfter);
                e.set();
            });
            for (String o : outcomes) {
                assertTrue(o.equals("timed out") || o.equals("saw it set: true"), o);
            }
            assertEquals(new EventStatistics(0), e.statistics());
        });
    }

    /**
     * Parkers park with random deadlines; an unparker wakes random counts and moves tasks
     * between two lots. Every task that an unpark returned wakes normally, and every other
     * parker was cancelled: nobody is lost, woken twice, or left in a lot.
     */
    @Test
    void park_cancelledAtRandomMomentsWhileReparked_everyUnparkedTaskWakesNormally() {
        SeededRuns.forEachSeed("ParkingLot", SEEDS, r -> {
            ParkingLot a = new ParkingLot();
            ParkingLot b = new ParkingLot();
            List<Task> unparked = new ArrayList<>();
            List<Task> wokeNormally = new ArrayList<>();
            int[] cancelled = {0};
            int parkers = 1 + r.nextInt(8);
            Nursery.open(n -> {
                for (int i = 0; i < parkers; i++) {
                    Duration t = timeout(r);
                    n.startSoon(() -> {
                        CancelScope scope = CancelScope.moveOnAfter(t);
                        scope.run(() -> {
                            a.park();
                            wokeNormally.add(Lowlevel.currentTask());
                        });
                        if (scope.cancelledCaught()) {
                            cancelled[0]++;
                        }
                    });
                }
                int steps = 1 + r.nextInt(6);
                for (int k = 0; k < steps; k++) {
                    Weft.sleep(pause(r));
                    switch (r.nextInt(3)) {
                        case 0 -> unparked.addAll(a.unpark(r.nextInt(3)));
                        case 1 -> a.repark(b, r.nextInt(3));
                        default -> unparked.addAll(b.unpark(r.nextInt(3)));
                    }
                }
                Weft.sleep(Duration.ofMillis(50));
                unparked.addAll(a.unparkAll());
                unparked.addAll(b.unparkAll());
            });
            assertEquals(parkers, wokeNormally.size() + cancelled[0]);
            assertEquals(List.copyOf(unparked).stream().sorted((x, y) -> Long.compare(x.id(), y.id())).toList(),
                    wokeNormally.stream().sorted((x, y) -> Long.compare(x.id(), y.id())).toList());
            assertEquals(0, a.size());
            assertEquals(0, b.size());
            assertFalse(a.isBroken());
        });
    }
}
