package dev.weft.sync;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Condition}: the lock methods, waiting and signalling, and taking the lock back even
 * when cancelled. Ported from python-trio/trio {@code src/trio/_tests/test_sync.py}
 * ({@code test_Condition}).
 */
class ConditionTest {

    @Async
    private static void waiter(Condition c, int i, Set<Integer> finished) {
        c.acquire();
        try {
            c.await();
        } finally {
            c.release();
        }
        finished.add(i);
    }

    @WeftTest
    @Async
    void lockMethods_givenLock_actOnThatLock() {
        Lock l = new Lock();
        Condition c = new Condition(l);
        assertSame(l, c.lock());
        assertFalse(l.isLocked());
        assertFalse(c.isLocked());
        Testing.assertCheckpoints(c::acquire);
        assertTrue(l.isLocked());
        assertTrue(c.isLocked());
        c.release();

        Condition own = new Condition();
        assertFalse(own.isLocked());
        assertTrue(own.tryAcquire());
        assertTrue(own.isLocked());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, own::tryAcquire);
        own.release();
        assertTrue(new Condition(new StrictFIFOLock()).tryAcquire());
    }

    @WeftTest
    @Async
    void awaitAndSignal_withoutTheLock_throwIllegalStateNamingTheHolder() {
        Condition c = new Condition();
        IllegalStateException w = assertThrows(IllegalStateException.class, c::await);
        assertEquals("Condition.await: task 'main' must hold the condition's lock to wait, but nobody holds it",
                w.getMessage());
        IllegalStateException s = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                c::signal);
        assertEquals("Condition.signal: task 'main' must hold the condition's lock to signal, but nobody holds it",
                s.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, c::signalAll);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> c.signal(2));
    }

    @WeftTest
    @Async
    void signal_oneThenAll_wakesTheFirstWaiterThenTheRest() {
        Condition c = new Condition();
        Set<Integer> finished = new HashSet<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> waiter(c, id, finished));
                Testing.waitAllTasksBlocked();
            }
            c.acquire();
            c.signal();
            c.release();
            assertTrue(c.isLocked(), "the signalled waiter was handed the lock");
            Testing.waitAllTasksBlocked();
            assertEquals(Set.of(0), finished);
            c.acquire();
            c.signalAll();
            c.release();
            Testing.waitAllTasksBlocked();
            assertEquals(Set.of(0, 1, 2), finished);
        });
    }

    @WeftTest
    @Async
    void signal_two_movesThemToTheLockQueueAndReleaseHandsOver() {
        Condition c = new Condition();
        Set<Integer> finished = new HashSet<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> waiter(c, id, finished));
                Testing.waitAllTasksBlocked();
            }
            c.acquire();
            c.signal(2);
            ConditionStatistics stats = c.statistics();
            assertEquals(1, stats.tasksWaiting());
            assertEquals(2, stats.lockStatistics().tasksWaiting());
            assertEquals(Lowlevel.currentTask(), stats.lockStatistics().owner());
            c.release();
            // The release handed the lock to the first signalled waiter.
            assertEquals(1, c.statistics().lockStatistics().tasksWaiting());
            Testing.waitAllTasksBlocked();
            assertEquals(Set.of(0, 1), finished);
            c.acquire();
            c.signalAll();
            c.release();
        });
        assertEquals(new ConditionStatistics(0, new LockStatistics(false, null, 0)), c.statistics());
    }

    @WeftTest
    @Async
    void signal_oneAtATime_wakesWaitersInTheOrderTheyWaited() {
        Condition c = new Condition();
        List<Integer> order = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 4; i++) {
                int id = i;
                n.startSoon(() -> {
                    c.acquire();
                    try {
                        c.await();
                        order.add(id);
                    } finally {
                        c.release();
                    }
                });
                Testing.waitAllTasksBlocked();
            }
            for (int i = 0; i < 4; i++) {
                c.acquire();
                c.signal();
                c.release();
                Testing.waitAllTasksBlocked();
            }
        });
        assertEquals(List.of(0, 1, 2, 3), order);
    }

    @WeftTest
    @Async
    void await_cancelled_takesTheLockBackBeforeThrowing() {
        Condition c = new Condition();
        CancelScope scope = new CancelScope();
        List<String> record = new ArrayList<>();
        scope.run(() -> {
            c.acquire();
            try {
                scope.cancel();
                c.await();
            } finally {
                record.add("locked in finally: " + c.isLocked());
                c.release();
            }
        });
        assertTrue(scope.cancelledCaught());
        assertEquals(List.of("locked in finally: true"), record);
        assertFalse(c.isLocked());
    }

    @WeftTest
    @Async
    void await_cancelledWhileAnotherTaskHoldsTheLock_waitsForItThenThrows(MockClock clock) {
        clock.autojumpThreshold(0);
        Condition c = new Condition();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("waiter", () -> {
                CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(1));
                scope.run(() -> {
                    c.acquire();
                    try {
                        c.await();
                    } catch (Cancelled e) {
                        record.add("cancelled at " + Weft.currentTime() + ", owner: "
                                + c.statistics().lockStatistics().owner().name());
                        throw e;
                    } finally {
                        c.release();
                    }
                });
            });
            Testing.waitAllTasksBlocked();
            c.acquire();
            Weft.sleep(Duration.ofSeconds(5));
            assertEquals(List.of(), record, "the cancelled waiter must wait for the lock");
            assertEquals(1, c.statistics().lockStatistics().tasksWaiting());
            c.release();
        });
        assertEquals(List.of("cancelled at 5.0, owner: waiter"), record);
        assertEquals(new ConditionStatistics(0, new LockStatistics(false, null, 0)), c.statistics());
    }

    @WeftTest
    @Async
    void await_lockOwnerExitsWhileWaiterWaitsToTakeItBack_throwsBroken() {
        Condition c = new Condition();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon("waiter", () -> {
                c.acquire();
                c.await();
            });
            Testing.waitAllTasksBlocked();
            n.startSoon("careless", () -> {
                c.acquire();
                c.signal();
                // Exits holding the lock, with the signalled waiter in its queue.
            });
        }));
        assertEquals(1, g.failures().size(), g.toString());
        BrokenResourceException e = assertInstanceOf(BrokenResourceException.class, g.failures().get(0));
        assertTrue(e.getMessage().contains("task 'careless', exited without releasing it"), e.getMessage());
    }
}
