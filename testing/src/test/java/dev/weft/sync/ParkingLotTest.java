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
import dev.weft.lowlevel.Task;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ParkingLot}: FIFO wake-ups, counts, cancellation, re-parking and breaking. Ported from
 * python-trio/trio {@code src/trio/_core/_tests/test_parking_lot.py}.
 */
class ParkingLotTest {

    @Async
    private static void waiter(int i, ParkingLot lot, List<String> record) {
        record.add("sleep " + i);
        lot.park();
        record.add("wake " + i);
    }

    /** Parks in its own cancel scope (kept in {@code scopes}) and records how the park ended. */
    @Async
    private static void cancellableWaiter(int name, ParkingLot lot, Map<Integer, CancelScope> scopes,
            List<String> record) {
        CancelScope scope = new CancelScope();
        scopes.put(name, scope);
        scope.run(() -> {
            record.add("sleep " + name);
            try {
                lot.park();
                record.add("wake " + name);
            } catch (Cancelled c) {
                record.add("cancelled " + name);
                throw c;
            }
        });
    }

    /** Starts a task that reports itself and sleeps until cancelled (Trio's {@code dummy_task}). */
    @Async
    private static Task startDummy(Nursery n) throws Exception {
        return n.start(status -> {
            status.started(Lowlevel.currentTask());
            Weft.sleepForever();
        });
    }

    @WeftTest
    @Async
    void unparkAll_threeParked_wakesEveryOneAndEmptiesTheLot() {
        ParkingLot lot = new ParkingLot();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            assertTrue(lot.isEmpty());
            assertEquals(new ParkingLotStatistics(0), lot.statistics());
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> waiter(id, lot, record));
            }
            Testing.waitAllTasksBlocked();
            assertEquals(3, record.size());
            assertFalse(lot.isEmpty());
            assertEquals(3, lot.size());
            assertEquals(new ParkingLotStatistics(3), lot.statistics());
            List<Task> woken = lot.unparkAll();
            assertEquals(3, woken.size());
            assertEquals(new ParkingLotStatistics(0), lot.statistics());
            Testing.waitAllTasksBlocked();
            assertEquals(6, record.size());
        });
        assertEquals(Set.of("sleep 0", "sleep 1", "sleep 2"), Set.copyOf(record.subList(0, 3)));
        assertEquals(Set.of("wake 0", "wake 1", "wake 2"), Set.copyOf(record.subList(3, 6)));
    }

    @WeftTest
    @Async
    void unpark_oneAtATime_wakesInStrictFifoOrder() {
        ParkingLot lot = new ParkingLot();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> waiter(id, lot, record));
                Testing.waitAllTasksBlocked();
            }
            for (int i = 0; i < 3; i++) {
                lot.unpark();
                Testing.waitAllTasksBlocked();
            }
        });
        assertEquals(List.of("sleep 0", "sleep 1", "sleep 2", "wake 0", "wake 1", "wake 2"), record);
    }

    @WeftTest
    @Async
    void unpark_nothingParked_wakesNobody() {
        ParkingLot lot = new ParkingLot();
        assertEquals(null, lot.unpark());
        assertEquals(List.of(), lot.unpark(1));
        assertEquals(List.of(), lot.unpark(100));
        assertEquals(List.of(), lot.unparkAll());
    }

    @WeftTest
    @Async
    void unpark_withCount_wakesThatManyFromTheFront() {
        ParkingLot lot = new ParkingLot();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> waiter(id, lot, record));
                Testing.waitAllTasksBlocked();
            }
            assertEquals(2, lot.unpark(2).size());
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleep 0", "sleep 1", "sleep 2"), record.subList(0, 3));
            assertEquals(Set.of("wake 0", "wake 1"), Set.copyOf(record.subList(3, 5)));
            assertEquals(1, lot.size());
            lot.unparkAll();
        });
    }

    @WeftTest
    @Async
    void unpark_negativeCount_throwsIllegalArgument() {
        ParkingLot lot = new ParkingLot();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> lot.unpark(-1));
        assertEquals("count must be >= 0, was -1", e.getMessage());
    }

    @WeftTest
    @Async
    void unpark_returnsTheWokenTasksInOrder() {
        ParkingLot lot = new ParkingLot();
        List<Task> parked = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                n.startSoon(() -> {
                    parked.add(Lowlevel.currentTask());
                    lot.park();
                });
                Testing.waitAllTasksBlocked();
            }
            assertSame(parked.get(0), lot.unpark());
            assertEquals(parked.subList(1, 3), lot.unpark(5));
        });
    }

    @WeftTest
    @Async
    void park_cancelledWhileParked_leavesTheLotAndTheOthersStillWake() {
        ParkingLot lot = new ParkingLot();
        List<String> record = new ArrayList<>();
        Map<Integer, CancelScope> scopes = new HashMap<>();
        Nursery.open(n -> {
            for (int i = 1; i <= 3; i++) {
                int id = i;
                n.startSoon(() -> cancellableWaiter(id, lot, scopes, record));
                Testing.waitAllTasksBlocked();
            }
            assertEquals(3, record.size());
            scopes.get(2).cancel();
            Testing.waitAllTasksBlocked();
            assertEquals(4, record.size());
            assertEquals(2, lot.size());
            lot.unparkAll();
            Testing.waitAllTasksBlocked();
            assertEquals(6, record.size());
        });
        assertEquals(List.of("sleep 1", "sleep 2", "sleep 3", "cancelled 2"), record.subList(0, 4));
        assertEquals(Set.of("wake 1", "wake 3"), Set.copyOf(record.subList(4, 6)));
    }

    @WeftTest
    @Async
    void repark_one_movesTheFrontTaskAndACancelLeavesTheNewLot() {
        ParkingLot lot1 = new ParkingLot();
        ParkingLot lot2 = new ParkingLot();
        List<String> record = new ArrayList<>();
        Map<Integer, CancelScope> scopes = new HashMap<>();
        Nursery.open(n -> {
            for (int i = 1; i <= 3; i++) {
                int id = i;
                n.startSoon(() -> cancellableWaiter(id, lot1, scopes, record));
                Testing.waitAllTasksBlocked();
            }
            assertEquals(3, lot1.size());
            assertEquals(1, lot1.repark(lot2, 1));
            assertEquals(2, lot1.size());
            assertEquals(1, lot2.size());
            lot2.unparkAll();
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleep 1", "sleep 2", "sleep 3", "wake 1"), record);

            assertEquals(2, lot1.reparkAll(lot2));
            assertEquals(0, lot1.size());
            assertEquals(2, lot2.size());
            scopes.get(2).cancel();
            Testing.waitAllTasksBlocked();
            assertEquals(1, lot2.size());
            assertEquals(List.of("sleep 1", "sleep 2", "sleep 3", "wake 1", "cancelled 2"), record);

            lot2.unparkAll();
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleep 1", "sleep 2", "sleep 3", "wake 1", "cancelled 2", "wake 3"), record);
        });
    }

    @WeftTest
    @Async
    void repark_withCount_movesThatManyKeepingOrder() {
        ParkingLot lot1 = new ParkingLot();
        ParkingLot lot2 = new ParkingLot();
        List<String> record = new ArrayList<>();
        Map<Integer, CancelScope> scopes = new HashMap<>();
        Nursery.open(n -> {
            for (int i = 1; i <= 3; i++) {
                int id = i;
                n.startSoon(() -> cancellableWaiter(id, lot1, scopes, record));
                Testing.waitAllTasksBlocked();
            }
            assertEquals(2, lot1.repark(lot2, 2));
            assertEquals(1, lot1.size());
            assertEquals(2, lot2.size());
            while (!lot2.isEmpty()) {
                lot2.unpark();
                Testing.waitAllTasksBlocked();
            }
            assertEquals(List.of("sleep 1", "sleep 2", "sleep 3", "wake 1", "wake 2"), record);
            lot1.unparkAll();
        });
    }

    @WeftTest
    @Async
    void repark_toItself_throwsIllegalArgument() {
        ParkingLot lot = new ParkingLot();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> lot.repark(lot, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> lot.repark(
                new ParkingLot(), -1));
    }

    @WeftTest
    @Async
    void repark_intoBrokenLot_movedTasksGetBrokenResource() {
        ParkingLot lot1 = new ParkingLot();
        ParkingLot broken = new ParkingLot();
        broken.breakLot();
        List<Throwable> got = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> got.add(assertThrows(BrokenResourceException.class, lot1::park)));
            Testing.waitAllTasksBlocked();
            assertEquals(1, lot1.reparkAll(broken));
            assertEquals(0, broken.size());
        });
        assertTrue(got.get(0).getMessage().contains("broken by task 'main'"), got.get(0).getMessage());
    }

    // ---------------------------------------------------------------- breaking

    @WeftTest
    @Async
    void breakLot_currentTask_isRecordedAndParkThrows() {
        ParkingLot lot = new ParkingLot();
        Task me = Lowlevel.currentTask();
        assertFalse(lot.isBroken());
        lot.breakLot();
        assertEquals(List.of(me), lot.brokenBy());
        lot.breakLot();
        assertEquals(List.of(me, me), lot.brokenBy());
        BrokenResourceException e = assertThrows(BrokenResourceException.class, lot::park);
        assertEquals("ParkingLot.park: the lot was broken by tasks 'main', 'main'; nothing will ever be unparked "
                + "from it", e.getMessage());
        assertEquals(List.of(), lot.unparkAll());
    }

    @WeftTest
    @Async
    void addBreaker_breakerExits_parkedTaskGetsBrokenResource() {
        ParkingLot lot = new ParkingLot();
        CancelScope cs = new CancelScope();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon("bad-parker", () -> {
                lot.addBreaker(Lowlevel.currentTask());
                cs.run(Weft::sleepForever);
            });
            Testing.waitAllTasksBlocked();
            n.startSoon("parker", lot::park);
            Testing.waitAllTasksBlocked();
            assertEquals(1, lot.size());
            cs.cancel();
        }));
        assertEquals(1, g.failures().size(), g.toString());
        BrokenResourceException e = assertInstanceOf(BrokenResourceException.class, g.failures().get(0));
        assertEquals("ParkingLot: task 'parker' was parked when task 'bad-parker' broke the lot", e.getMessage());
        assertTrue(lot.isBroken());
        assertEquals("bad-parker", lot.brokenBy().get(0).name());
    }

    @WeftTest
    @Async
    void removeBreaker_registeredTwice_needsTwoRemovalsThenThrows() throws Exception {
        ParkingLot lot = new ParkingLot();
        Task me = Lowlevel.currentTask();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> lot.removeBreaker(me));
        assertTrue(e.getMessage().contains("is not registered as a breaker of this lot"), e.getMessage());
        lot.addBreaker(me);
        lot.addBreaker(me);
        lot.removeBreaker(me);
        lot.removeBreaker(me);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> lot.removeBreaker(me));

        // Registering a breaker of a lot that is already broken is fine: its exit is recorded too.
        lot.breakLot();
        List<Task> child = new ArrayList<>();
        Nursery.open(n -> {
            Task t = startDummy(n);
            child.add(t);
            lot.addBreaker(t);
            n.cancelScope().cancel();
        });
        assertEquals(List.of(me, child.get(0)), lot.brokenBy());

        // A lot may be broken on behalf of a task that has exited.
        ParkingLot other = new ParkingLot();
        other.breakLot(child.get(0));
        assertEquals(List.of(child.get(0)), other.brokenBy());
    }

    @WeftTest
    @Async
    void addBreaker_threeBreakersExit_allAreRecorded() throws Exception {
        ParkingLot lot = new ParkingLot();
        List<Task> tasks = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                Task t = startDummy(n);
                tasks.add(t);
                lot.addBreaker(t);
            }
            n.cancelScope().cancel();
        });
        assertEquals(Set.copyOf(tasks), Set.copyOf(lot.brokenBy()));
    }

    @WeftTest
    @Async
    void addBreaker_exitedTask_throwsIllegalState() throws Exception {
        ParkingLot lot = new ParkingLot();
        List<Task> child = new ArrayList<>();
        Nursery.open(n -> {
            child.add(startDummy(n));
            n.cancelScope().cancel();
        });
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> lot.addBreaker(child.get(0)));
        assertTrue(e.getMessage().contains("it has already exited"), e.getMessage());
    }

    @WeftTest
    @Async
    void breakLot_byTheParkedTaskItself_itGetsBrokenResource() {
        ParkingLot lot = new ParkingLot();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            Task child = n.start(status -> {
                status.started(Lowlevel.currentTask());
                lot.park();
            });
            lot.breakLot(child);
        }));
        assertInstanceOf(BrokenResourceException.class, g.failures().get(0));
    }

    @WeftTest
    @Async
    void park_alwaysBlocks_isACheckpoint() {
        ParkingLot lot = new ParkingLot();
        Nursery.open(n -> {
            n.startSoon(() -> Testing.assertCheckpoints(lot::park));
            Testing.waitAllTasksBlocked();
            lot.unpark();
        });
    }
}
