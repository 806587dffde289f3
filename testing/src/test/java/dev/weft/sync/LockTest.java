package dev.weft.sync;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.weft.lowlevel.Task;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Lock} and {@link StrictFIFOLock}: ownership checks, statistics, checkpoints, hand-off
 * and breaking when the owner exits. Ported from python-trio/trio
 * {@code src/trio/_tests/test_sync.py} ({@code test_Lock_and_StrictFIFOLock},
 * {@code test_lock_acquire_unowned_lock}, {@code test_lock_multiple_acquire},
 * {@code test_lock_handover}).
 */
class LockTest {

    @WeftTest
    @Async
    void acquireAndRelease_lock_ownerChecksStatisticsAndCheckpoints() {
        basics(new Lock(), "Lock");
    }

    @WeftTest
    @Async
    void acquireAndRelease_strictFifoLock_ownerChecksStatisticsAndCheckpoints() {
        basics(new StrictFIFOLock(), "StrictFIFOLock");
    }

    @Async
    private static void basics(Lock l, String kind) {
        Task me = Lowlevel.currentTask();
        assertFalse(l.isLocked());
        assertEquals(kind + "[unlocked]", l.toString());
        Testing.assertCheckpoints(() -> {
            l.acquire();
            assertTrue(l.isLocked());
            assertEquals(new LockStatistics(true, me, 0), l.statistics());
            assertEquals(kind + "[held by task 'main', 0 waiting]", l.toString());
            l.release();
        });
        assertFalse(l.isLocked());
        assertTrue(l.tryAcquire());
        assertTrue(l.isLocked());
        l.release();
        assertFalse(l.isLocked());

        assertTrue(l.tryAcquire());
        IllegalStateException again = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                l::tryAcquire);
        assertEquals(kind + ": task 'main' already holds this lock, and locks are not reentrant", again.getMessage());
        IllegalStateException asyncAgain = assertThrows(IllegalStateException.class, l::acquire);
        assertEquals(again.getMessage(), asyncAgain.getMessage());
        l.release();
        IllegalStateException notHeld = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                l::release);
        assertEquals(kind + ".release: task 'main' does not hold this lock; nobody does. Only the task that "
                + "acquired a lock may release it", notHeld.getMessage());

        AtomicReference<Task> holderTask = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon("holder", () -> {
                holderTask.set(Lowlevel.currentTask());
                l.acquire();
                try {
                    Weft.sleepForever();
                } finally {
                    l.release();
                }
            });
            Testing.waitAllTasksBlocked();
            assertTrue(l.isLocked());
            assertFalse(l.tryAcquire());
            IllegalStateException other = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    l::release);
            assertEquals(kind + ".release: task 'main' does not hold this lock; task 'holder' does. Only the task "
                    + "that acquired a lock may release it", other.getMessage());
            assertEquals(new LockStatistics(true, holderTask.get(), 0), l.statistics());

            n.startSoon("waiter", () -> {
                l.acquire();
                try {
                    Weft.sleepForever();
                } finally {
                    l.release();
                }
            });
            Testing.waitAllTasksBlocked();
            assertEquals(new LockStatistics(true, holderTask.get(), 1), l.statistics());
            assertEquals(kind + "[held by task 'holder', 1 waiting]", l.toString());
            n.cancelScope().cancel();
        });
        assertEquals(new LockStatistics(false, null, 0), l.statistics());
    }

    @Test
    void tryAcquire_outsideRun_throwsIllegalStateNamingTheCall() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Lock().tryAcquire());
        assertTrue(e.getMessage().contains("not running a Weft task"), e.getMessage());
    }

    @WeftTest
    @Async
    void release_withWaiter_handsOverSoTheReleaserCannotBargeBackIn() {
        Lock l = new Lock();
        List<String> record = new ArrayList<>();
        l.acquire();
        Nursery.open(n -> {
            n.startSoon("waiter", () -> {
                l.acquire();
                record.add("waiter got it");
                l.release();
            });
            Testing.waitAllTasksBlocked();
            l.release();
            assertEquals("waiter", l.statistics().owner().name());
            assertFalse(l.tryAcquire(), "the lock went to the waiter, not back to the releaser");
            l.acquire();
            record.add("main got it back");
            l.release();
        });
        assertEquals(List.of("waiter got it", "main got it back"), record);
    }

    // ---------------------------------------------------------------- cancellation

    @WeftTest
    @Async
    void acquire_cancelledWhileWaiting_leavesNoTraceAndTheLockStillWorks(MockClock clock) {
        clock.autojumpThreshold(0);
        Lock l = new Lock();
        l.acquire();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("impatient", () -> {
                CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(1));
                scope.run(() -> {
                    l.acquire();
                    record.add("acquired");
                });
                record.add("gave up: " + scope.cancelledCaught());
            });
            Testing.waitAllTasksBlocked();
            assertEquals(1, l.statistics().tasksWaiting());
            Weft.sleep(Duration.ofSeconds(2));
            assertEquals(List.of("gave up: true"), record);
            assertEquals(new LockStatistics(true, Lowlevel.currentTask(), 0), l.statistics());
            l.release();
            assertEquals(new LockStatistics(false, null, 0), l.statistics());
        });
        assertTrue(l.tryAcquire());
        l.release();
    }

    @WeftTest
    @Async
    void acquire_handedOverThenCancelled_returnsOwningAndSeesTheCancelAtTheNextCheckpoint() {
        Lock l = new Lock();
        List<String> record = new ArrayList<>();
        CancelScope waiterScope = new CancelScope();
        l.acquire();
        Nursery.open(n -> {
            n.startSoon("waiter", () -> waiterScope.run(() -> {
                l.acquire();
                try {
                    record.add("acquired, owner is me: " + (l.statistics().owner() == Lowlevel.currentTask()));
                    Weft.checkpoint();
                    record.add("not reached");
                } catch (Cancelled c) {
                    record.add("cancelled while holding");
                    throw c;
                } finally {
                    l.release();
                }
            }));
            Testing.waitAllTasksBlocked();
            // Hand the lock over and cancel the new owner before it runs: the hand-off stands.
            l.release();
            waiterScope.cancel();
        });
        assertEquals(List.of("acquired, owner is me: true", "cancelled while holding"), record);
        assertEquals(new LockStatistics(false, null, 0), l.statistics());
    }

    // ---------------------------------------------------------------- broken locks

    @WeftTest
    @Async
    void acquire_ownerExitedWithoutReleasing_throwsBrokenNamingTheOwner() {
        Lock l = new Lock();
        AtomicReference<Task> owner = new AtomicReference<>();
        Nursery.open(n -> n.startSoon("careless", () -> {
            owner.set(Lowlevel.currentTask());
            l.acquire();
        }));
        String expected = "Lock: its owner, task 'careless', exited without releasing it, so the lock is broken";
        assertEquals(expected, assertThrows(BrokenResourceException.class, l::acquire).getMessage());
        assertEquals(expected, org.junit.jupiter.api.Assertions.assertThrows(BrokenResourceException.class,
                l::tryAcquire).getMessage());
        IllegalStateException release = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                l::release);
        assertTrue(release.getMessage().contains("task 'careless' does, and it exited without releasing it"),
                release.getMessage());
        assertEquals(new LockStatistics(true, owner.get(), 0), l.statistics());
        assertEquals("Lock[broken: task 'careless' exited while holding it]", l.toString());
    }

    @WeftTest
    @Async
    void acquire_waitingWhenTheOwnerExits_throwsBroken() {
        Lock l = new Lock();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon(l::acquire);
            n.startSoon(l::acquire);
        }));
        assertEquals(1, g.failures().size(), g.toString());
        BrokenResourceException e = assertInstanceOf(BrokenResourceException.class, g.failures().get(0));
        assertTrue(e.getMessage().startsWith("Lock: its owner, task 'task-"), e.getMessage());
        assertEquals(0, l.statistics().tasksWaiting());
    }

    @WeftTest
    @Async
    void release_handsOverToAChildThatExits_theChildBreaksTheLock() {
        Lock l = new Lock();
        assertTrue(l.tryAcquire());
        AtomicReference<Task> child = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon("heir", () -> {
                child.set(Lowlevel.currentTask());
                l.acquire();
            });
            Testing.waitAllTasksBlocked();
            l.release();
            assertSame(child.get(), l.statistics().owner());
        });
        // The main task is no longer a breaker: its release took its registration back.
        BrokenResourceException e = assertThrows(BrokenResourceException.class, l::acquire);
        assertTrue(e.getMessage().contains("task 'heir'"), e.getMessage());
    }

    @WeftTest
    @Async
    void release_thenOwnerExits_lockIsNotBroken() {
        Lock l = new Lock();
        Nursery.open(n -> n.startSoon(() -> {
            l.acquire();
            l.release();
        }));
        l.acquire();
        l.release();
        assertNull(l.statistics().owner());
    }

    @WeftTest
    @Async
    void tryAcquire_fromAnotherTaskWhileHeld_returnsFalseAndOwnerStays() {
        Lock l = new Lock();
        l.acquire();
        Nursery.open(n -> n.startSoon(() -> assertFalse(l.tryAcquire())));
        assertSame(Lowlevel.currentTask(), l.statistics().owner());
        l.release();
    }
}
