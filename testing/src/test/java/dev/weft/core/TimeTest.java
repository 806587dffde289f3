package dev.weft.core;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Cancelled;
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
 * Sleeping, the run's clock, {@link MockClock} and autojump, and {@code waitAllTasksBlocked}.
 * Ported from python-trio/trio {@code src/trio/_tests/test_timeouts.py},
 * {@code src/trio/_core/_tests/test_mock_clock.py} and {@code src/trio/_tests/test_testing.py}.
 */
class TimeTest {

    // ---------------------------------------------------------------- sleeping

    @WeftTest
    @Async
    void sleep_oneHourWithAutojump_advancesOnlyVirtualTime(MockClock clock) {
        clock.autojumpThreshold(0);
        long realStart = System.nanoTime();
        Weft.sleep(Duration.ofHours(1));
        assertEquals(3600.0, Weft.currentTime());
        assertTrue(System.nanoTime() - realStart < 5_000_000_000L, "a virtual hour must not take real time");
    }

    @WeftTest
    @Async
    void sleepUntil_futureDeadline_wakesExactlyThere(MockClock clock) {
        clock.autojumpThreshold(0);
        Weft.sleepUntil(12.5);
        assertEquals(12.5, Weft.currentTime());
    }

    @WeftTest
    @Async
    void sleep_jumpedPastByHand_wakesAtNextPass(MockClock clock) {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                record.add("start");
                Weft.sleep(Duration.ofSeconds(5));
                record.add("finished");
            });
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("start"), record);
            clock.jump(4.9);
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("start"), record);
            clock.jump(0.1);
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("start", "finished"), record);
        });
    }

    @WeftTest
    @Async
    void sleep_zero_isACheckpoint() {
        Testing.assertCheckpoints(() -> Weft.sleep(Duration.ZERO));
        Testing.assertCheckpoints(() -> Weft.sleepUntil(Weft.currentTime() - 1));
        Testing.assertCheckpoints(() -> Weft.sleepUntil(Double.NEGATIVE_INFINITY));
    }

    @WeftTest
    @Async
    void sleep_zeroInCancelledScope_throwsCancelled() {
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            assertThrows(Cancelled.class, () -> Weft.sleep(Duration.ZERO));
            assertThrows(Cancelled.class, () -> Weft.sleepUntil(0));
        });
    }

    @WeftTest
    @Async
    void sleep_negativeDuration_throwsIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weft.sleep(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("duration must be >= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Weft.sleepUntil(Double.NaN));
        assertThrows(NullPointerException.class, () -> Weft.sleep(null));
    }

    @WeftTest
    @Async
    void sleepForever_cancelled_throwsCancelledAtCancelTime(MockClock clock) {
        clock.autojumpThreshold(0);
        CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(30));
        scope.run(Weft::sleepForever);
        assertTrue(scope.cancelledCaught());
        assertEquals(30.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void sleepForever_rescheduledByHand_throwsIllegalState() {
        Task me = Lowlevel.currentTask();
        Nursery.open(n -> {
            n.startSoon(() -> {
                Weft.checkpoint();
                Lowlevel.reschedule(me, null);
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, Weft::sleepForever);
            assertTrue(e.getMessage().contains("woken from sleepForever()"), e.getMessage());
        });
    }

    @WeftTest
    @Async
    void sleep_manyTasksDifferentDurations_wakeInDeadlineOrder(MockClock clock) {
        clock.autojumpThreshold(0);
        List<Integer> woke = new ArrayList<>();
        Nursery.open(n -> {
            for (int s : new int[] {5, 1, 4, 2, 3}) {
                n.startSoon(() -> {
                    Weft.sleep(Duration.ofSeconds(s));
                    woke.add(s);
                    assertEquals((double) s, Weft.currentTime());
                });
            }
        });
        assertEquals(List.of(1, 2, 3, 4, 5), woke);
        assertEquals(5.0, Weft.currentTime());
    }

    // ---------------------------------------------------------------- the clock

    @WeftTest
    @Async
    void currentTime_mockClockJump_readsTheClock(MockClock clock) {
        double start = clock.currentTime();
        assertEquals(start, Weft.currentTime());
        clock.jump(3.15);
        assertEquals(start + 3.15, clock.currentTime());
        assertEquals(start + 3.15, Weft.currentTime());
        assertSame(clock, Lowlevel.currentClock());
    }

    @WeftTest
    @Async
    void autojump_sleepLoop_eachSleepAdvancesByItsDuration(MockClock clock) {
        assertEquals(Double.POSITIVE_INFINITY, clock.autojumpThreshold());
        clock.autojumpThreshold(0);
        assertEquals(0.0, clock.autojumpThreshold());
        long realStart = System.nanoTime();
        double virtualStart = Weft.currentTime();
        for (int i = 0; i < 10; i++) {
            Weft.sleep(Duration.ofSeconds(10L * i));
            assertEquals(virtualStart + 10 * i, Weft.currentTime());
            virtualStart = Weft.currentTime();
        }
        assertEquals(450.0, Weft.currentTime());
        assertTrue(System.nanoTime() - realStart < 5_000_000_000L);
    }

    @WeftTest
    @Async
    void autojumpThreshold_changedDuringRun_takesEffectAtOnce(MockClock clock) {
        clock.autojumpThreshold(10000);
        double t = Weft.currentTime();
        // waitAllTasksBlocked wakes before the (far) autojump: time does not move.
        Testing.waitAllTasksBlocked();
        assertEquals(t, Weft.currentTime());
        clock.autojumpThreshold(0);
        // If the old threshold were still in effect, this would block for 10000 real seconds.
        Weft.sleep(Duration.ofSeconds(100000));
        assertEquals(t + 100000, Weft.currentTime());
    }

    @WeftTest
    @Async
    void waitAllTasksBlocked_autojumpArmed_wakesBeforeClockJumps(MockClock clock) {
        clock.autojumpThreshold(0);
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                Weft.sleep(Duration.ofSeconds(100));
                record.add("yawn");
            });
            n.startSoon(() -> {
                Testing.waitAllTasksBlocked();
                record.add("waiter woke at " + Weft.currentTime());
                Weft.sleep(Duration.ofSeconds(1000));
                record.add("waiter done");
            });
        });
        assertEquals(List.of("waiter woke at 0.0", "yawn", "waiter done"), record);
        assertEquals(1000.0, Weft.currentTime());
    }

    @Test
    void autojump_setBeforeRun_isPickedUp() throws Exception {
        MockClock clock = new MockClock().autojumpThreshold(0);
        long realStart = System.nanoTime();
        Weft.runner().clock(clock).handleInterrupts(false).run(() -> Weft.sleep(Duration.ofSeconds(10000)));
        assertEquals(10000.0, clock.currentTime());
        assertTrue(System.nanoTime() - realStart < 5_000_000_000L);
    }

    @Test
    void mockClock_jumpAndRate_moveTimeAsTold() {
        MockClock c = new MockClock();
        assertEquals(0.0, c.rate());
        assertEquals(0.0, c.currentTime());
        assertEquals(Double.POSITIVE_INFINITY, c.autojumpThreshold());
        c.jump(1.2);
        assertEquals(1.2, c.currentTime());
        assertEquals(0.0, c.deadlineToSleepTime(1.1));
        assertEquals(0.0, c.deadlineToSleepTime(1.2));
        // Time stands still at rate 0, so a future deadline is never reached by waiting.
        assertEquals(Double.POSITIVE_INFINITY, c.deadlineToSleepTime(1.3));

        c.rate(2);
        assertEquals(2.0, c.rate());
        double now = c.currentTime();
        assertTrue(now >= 1.2, "rate change must not move time back: " + now);
        double wait = c.deadlineToSleepTime(c.currentTime() + 1);
        assertTrue(wait > 0 && wait <= 0.5, "one virtual second at rate 2 is at most half a real one: " + wait);

        c.rate(0);
        double frozen = c.currentTime();
        assertEquals(frozen, c.currentTime());
        c.jump(0.8);
        assertEquals(frozen + 0.8, c.currentTime());
    }

    @Test
    void mockClock_invalidArguments_throwAndChangeNothing() {
        MockClock c = new MockClock();
        c.jump(1.2);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.jump(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> c.jump(Double.NaN));
        assertEquals(1.2, c.currentTime());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> c.rate(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> c.rate(Double.NaN));
        assertEquals(0.0, c.rate());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.autojumpThreshold(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.autojumpThreshold(Double.NaN));
        assertEquals(Double.POSITIVE_INFINITY, c.autojumpThreshold());
    }

    // ---------------------------------------------------------------- waitAllTasksBlocked

    @WeftTest
    @Async
    void waitAllTasksBlocked_busyTask_wakesOnlyAfterItBlocks() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                for (int i = 0; i < 10; i++) {
                    Weft.checkpoint();
                }
                record.add("busy bee exhausted");
            });
            for (int i = 0; i < 2; i++) {
                n.startSoon(() -> {
                    Testing.waitAllTasksBlocked();
                    record.add("quiet at last!");
                });
            }
        });
        assertEquals(List.of("busy bee exhausted", "quiet at last!", "quiet at last!"), record);
    }

    @WeftTest
    @Async
    void waitAllTasksBlocked_cancelled_throwsCancelled() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                try {
                    Testing.waitAllTasksBlocked();
                } catch (Cancelled c) {
                    record.add("ok");
                    throw c;
                }
            });
            n.cancelScope().cancel();
        });
        assertEquals(List.of("ok"), record);
    }

    @WeftTest
    @Async
    void waitAllTasksBlocked_cancelledWaiter_isForgotten() {
        // A waiter that was cancelled must not be woken (or counted) later.
        AtomicReference<String> log = new AtomicReference<>("");
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon(() -> scope.run(Testing::waitAllTasksBlocked));
            n.startSoon(() -> {
                scope.cancel();
                Weft.checkpoint();
                Testing.waitAllTasksBlocked();
                log.set("second waiter woke");
            });
        });
        assertEquals("second waiter woke", log.get());
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void waitAllTasksBlocked_negativeCushion_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Testing.waitAllTasksBlocked(-1));
        assertThrows(IllegalArgumentException.class, () -> Testing.waitAllTasksBlocked(Double.NaN));
    }
}
