package dev.weft.core;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import dev.weft.testing.MockClock;
import dev.weft.testing.Sequencer;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.opentest4j.AssertionFailedError;

/**
 * Checkpoints: which operations are cancel points and schedule points, the counters behind
 * {@link Testing#assertCheckpoints}, and the interleaving they allow. Ported from
 * python-trio/trio {@code src/trio/_core/_tests/test_run.py} ({@code test_cancel_points},
 * {@code test_trivial_yields}, {@code test_basic_interleave}) and
 * {@code src/trio/_tests/test_testing.py}.
 */
class CheckpointTest {

    // ---------------------------------------------------------------- every async primitive is a checkpoint

    @WeftTest
    @Async
    void runtimePrimitives_eachOnItsOwn_areCheckpoints(MockClock clock) {
        clock.autojumpThreshold(0);
        Testing.assertCheckpoints(Weft::checkpoint);
        Testing.assertCheckpoints(() -> Weft.sleep(Duration.ZERO));
        Testing.assertCheckpoints(() -> Weft.sleep(Duration.ofMillis(1)));
        Testing.assertCheckpoints(() -> Weft.sleepUntil(Weft.currentTime() + 1));
        Testing.assertCheckpoints(() -> Weft.sleepUntil(0));
        Testing.assertCheckpoints(Testing::waitAllTasksBlocked);
        Testing.assertCheckpoints(() -> Nursery.open(n -> n.startSoon(() -> { })));
        Testing.assertCheckpoints(() -> CancelScope.moveOnAfter(Duration.ofSeconds(1)).run(Weft::sleepForever));
        Nursery.open(n -> Testing.assertCheckpoints(() -> n.start(status -> status.started())));
        Sequencer seq = new Sequencer();
        Testing.assertCheckpoints(() -> seq.run(0, () -> { }));
        Task me = Lowlevel.currentTask();
        Nursery.open(n -> {
            n.startSoon(() -> Lowlevel.reschedule(me, null));
            Testing.assertCheckpoints(() -> Lowlevel.park(Abort.ALWAYS));
        });
    }

    @WeftTest
    @Async
    void checkpoint_cancelledScope_raises() {
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            Weft.checkpoint();
            scope.cancel();
            assertThrows(Cancelled.class, Weft::checkpoint);
        });
    }

    @WeftTest
    @Async
    void sleepForever_scopeCancelledBefore_raises() {
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            assertThrows(Cancelled.class, Weft::sleepForever);
        });
    }

    // ---------------------------------------------------------------- partial checkpoints

    @WeftTest
    @Async
    void checkpointIfCancelled_notCancelled_isACancelPointButNoSchedulePoint() {
        Task task = Lowlevel.currentTask();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> log.add("other task ran"));
            int schedule = task.schedulePoints();
            int cancel = task.cancelPoints();
            Weft.checkpointIfCancelled();
            assertEquals(schedule, task.schedulePoints());
            assertEquals(cancel + 1, task.cancelPoints());
            // No schedule point: the child cannot have run yet.
            log.add("after checkpointIfCancelled");
        });
        assertEquals(List.of("after checkpointIfCancelled", "other task ran"), log);
    }

    @WeftTest
    @Async
    void checkpointIfCancelled_cancelled_raises() {
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            Weft.checkpointIfCancelled();
            scope.cancel();
            assertThrows(Cancelled.class, Weft::checkpointIfCancelled);
        });
    }

    @WeftTest
    @Async
    void cancelShieldedCheckpoint_cancelled_neverRaisesButLetsOthersRun() {
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        scope.run(() -> Nursery.open(n -> {
            n.startSoon(() -> {
                try {
                    log.add("other task ran");
                } finally {
                    log.add("other task done");
                }
            });
            scope.cancel();
            Weft.cancelShieldedCheckpoint();
            Weft.cancelShieldedCheckpoint();
            log.add("main survived two shielded checkpoints");
            assertThrows(Cancelled.class, Weft::checkpoint);
        }));
        assertEquals(List.of("other task ran", "other task done", "main survived two shielded checkpoints"), log);
    }

    @WeftTest
    @Async
    void counters_eachPartialCheckpoint_movesOnlyItsOwnCounter() {
        Task task = Lowlevel.currentTask();
        int schedule = task.schedulePoints();
        int cancel = task.cancelPoints();
        Weft.checkpointIfCancelled();
        assertEquals(schedule, task.schedulePoints());
        assertEquals(cancel + 1, task.cancelPoints());
        Weft.cancelShieldedCheckpoint();
        assertEquals(schedule + 1, task.schedulePoints());
        assertEquals(cancel + 1, task.cancelPoints());
        Weft.checkpoint();
        assertEquals(schedule + 2, task.schedulePoints());
        assertEquals(cancel + 2, task.cancelPoints());
    }

    @WeftTest
    @Async
    void park_abortNever_isAScheduleButNotACancelPoint() {
        Task task = Lowlevel.currentTask();
        Nursery.open(n -> {
            n.startSoon(() -> Lowlevel.reschedule(task, "woken"));
            int schedule = task.schedulePoints();
            int cancel = task.cancelPoints();
            assertEquals("woken", Lowlevel.park(Abort.NEVER));
            assertEquals(schedule + 1, task.schedulePoints());
            assertEquals(cancel, task.cancelPoints());
        });
    }

    // ---------------------------------------------------------------- the assertions themselves

    @WeftTest
    @Async
    void assertCheckpoints_partialCheckpointsAlone_fail() {
        assertThrows(AssertionFailedError.class, () -> Testing.assertCheckpoints(() -> { }));
        assertThrows(AssertionFailedError.class, () -> Testing.assertCheckpoints(Weft::checkpointIfCancelled));
        assertThrows(AssertionFailedError.class, () -> Testing.assertCheckpoints(Weft::cancelShieldedCheckpoint));
        // Both halves together make a checkpoint.
        Testing.assertCheckpoints(() -> {
            Weft.checkpointIfCancelled();
            Weft.cancelShieldedCheckpoint();
        });
    }

    @WeftTest
    @Async
    void assertNoCheckpoints_synchronousCode_passesAndAnyHalfCheckpointFails() {
        List<Integer> list = new ArrayList<>();
        Testing.assertNoCheckpoints(() -> {
            list.add(1 + 1);
            Weft.currentTime();
            Weft.currentEffectiveDeadline();
            Lowlevel.currentTask();
            new CancelScope().cancel();
        });
        assertEquals(List.of(2), list);
        assertThrows(AssertionFailedError.class, () -> Testing.assertNoCheckpoints(Weft::checkpoint));
        assertThrows(AssertionFailedError.class, () -> Testing.assertNoCheckpoints(Weft::checkpointIfCancelled));
        assertThrows(AssertionFailedError.class, () -> Testing.assertNoCheckpoints(Weft::cancelShieldedCheckpoint));
    }

    @WeftTest
    @Async
    void startSoon_inNursery_isNotACheckpoint() {
        Nursery.open(n -> Testing.assertNoCheckpoints(() -> n.startSoon(Weft::checkpoint)));
    }

    @WeftTest
    @Async
    void cancelScope_withSynchronousBody_isNotACheckpoint() {
        Testing.assertNoCheckpoints(() -> new CancelScope().run(() -> { }));
        CancelScope cancelled = new CancelScope();
        cancelled.cancel();
        Testing.assertNoCheckpoints(() -> cancelled.run(() -> { }));
        assertFalse(cancelled.cancelledCaught());
    }

    // ---------------------------------------------------------------- nurseries and cancellation

    @WeftTest
    @Async
    void open_emptyNurseryInCancelledScope_isNotACancelPoint() {
        CancelScope cs = new CancelScope();
        List<String> log = new ArrayList<>();
        cs.run(() -> {
            cs.cancel();
            Nursery.open(n -> { });
            log.add("after nursery");
        });
        assertEquals(List.of("after nursery"), log);
        assertFalse(cs.cancelledCaught());
    }

    @WeftTest
    @Async
    void open_childWithoutCheckpointInCancelledScope_isNotCaught() {
        CancelScope cs = new CancelScope();
        cs.run(() -> {
            cs.cancel();
            Nursery.open(n -> n.startSoon(() -> { }));
        });
        assertFalse(cs.cancelledCaught());
    }

    @WeftTest
    @Async
    void open_bodyFailsInCancelledScope_failureStillReported() {
        CancelScope cs = new CancelScope();
        dev.weft.FailureGroup g = assertThrows(dev.weft.FailureGroup.class, () -> cs.run(() -> {
            cs.cancel();
            Nursery.open(n -> {
                throw new IllegalArgumentException("key error");
            });
        }));
        assertTrue(g.allMatch(IllegalArgumentException.class), g.toString());
    }

    // ---------------------------------------------------------------- interleaving

    @WeftTest
    @Async
    void checkpoint_twoLoopingTasks_interleaveInLockstep() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            for (String who : List.of("a", "b")) {
                n.startSoon(() -> {
                    for (int i = 0; i < 3; i++) {
                        record.add(who + i);
                        Weft.checkpoint();
                    }
                });
            }
        });
        assertEquals(6, record.size());
        // Both tasks are runnable together at every step, so each pair may come in either order.
        for (int i = 0; i < 3; i++) {
            assertEquals(Set.of("a" + i, "b" + i), Set.copyOf(record.subList(2 * i, 2 * i + 2)), record.toString());
        }
    }

    @WeftTest
    @Async
    void checkpoint_yieldingTaskInLoop_doesNotStarveOthers() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                while (record.isEmpty()) {
                    Weft.checkpoint();
                }
            });
            n.startSoon(() -> {
                Weft.checkpoint();
                record.add("other ran");
            });
        });
        assertEquals(List.of("other ran"), record);
    }
}
