package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NurseryTest {

    @WeftTest
    @Async
    void open_twoSleepingChildren_endsWhenBothHaveAndTakesOneSecond(MockClock clock) {
        clock.autojumpThreshold(0);
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                log.add("child 1");
            });
            n.startSoon(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                log.add("child 2");
            });
            log.add("body done");
        });
        log.add("nursery done");
        assertEquals("body done", log.get(0));
        assertEquals(Set.of("child 1", "child 2"), Set.copyOf(log.subList(1, 3)));
        assertEquals("nursery done", log.get(3));
        assertEquals(1.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void open_childFails_cancelsSiblingAndBodyAndReportsOneFailureInGroup(MockClock clock) {
        clock.autojumpThreshold(0);
        List<String> log = new ArrayList<>();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon(() -> {
                try {
                    Weft.sleepForever();
                } finally {
                    log.add("sibling finally");
                }
            });
            n.startSoon("failer", () -> {
                Weft.sleep(Duration.ofSeconds(1));
                throw new IOException("boom");
            });
            try {
                Weft.sleepForever();
            } catch (Cancelled c) {
                log.add("body cancelled");
                throw c;
            }
        }));
        assertEquals(1, g.failures().size(), g.toString());
        IOException io = assertInstanceOf(IOException.class, g.failures().get(0));
        assertEquals("boom", io.getMessage());
        assertTrue(List.of(io.getSuppressed()).stream().anyMatch(s -> s.getMessage().contains("'failer' was spawned")),
                "spawn site attached");
        assertEquals(Set.of("sibling finally", "body cancelled"), Set.copyOf(log));
        assertEquals(1.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void open_twoChildrenFail_groupHoldsBoth() {
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon(() -> {
                throw new IOException("a");
            });
            n.startSoon(() -> {
                throw new IllegalStateException("b");
            });
        }));
        assertEquals(2, g.failures().size());
        assertEquals("a", g.first(IOException.class).orElseThrow().getMessage());
        assertEquals("b", g.first(IllegalStateException.class).orElseThrow().getMessage());
        IOException rethrown = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> g.rethrowIf(IOException.class));
        assertEquals("a", rethrown.getMessage());
    }

    @WeftTest
    @Async
    void open_bodyAndChildBothFail_groupHoldsBoth() {
        // python-trio/trio test_main_and_task_both_crash
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon(() -> {
                throw new IOException("child");
            });
            throw new IllegalStateException("block");
        }));
        assertEquals(2, g.failures().size(), g.toString());
        assertEquals("child", g.first(IOException.class).orElseThrow().getMessage());
        assertEquals("block", g.first(IllegalStateException.class).orElseThrow().getMessage());
    }

    @WeftTest
    @Async
    void open_bodyFails_childrenCancelledAndFailureReported() {
        List<String> log = new ArrayList<>();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon(() -> {
                try {
                    Weft.sleepForever();
                } finally {
                    log.add("child finally");
                }
            });
            Weft.checkpoint();
            throw new IOException("body");
        }));
        assertEquals(List.of("child finally"), log);
        assertTrue(g.allMatch(IOException.class));
    }

    @WeftTest
    @Async
    void startSoon_lateSpawnWhileClosing_runsAndIsWaitedFor() {
        List<String> log = new ArrayList<>();
        Nursery.open(n -> n.startSoon(() -> {
            Weft.checkpoint();
            n.startSoon(() -> {
                Weft.checkpoint();
                log.add("late child");
            });
        }));
        assertEquals(List.of("late child"), log);
    }

    @WeftTest
    @Async
    void startSoon_afterClose_throwsNamingTheNursery() {
        AtomicReference<Nursery> kept = new AtomicReference<>();
        Nursery.open(kept::set);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> kept.get().startSoon(() -> { }));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    @WeftTest
    @Async
    void start_childCallsStarted_returnsValueAndChildMovesIntoNursery() throws Exception {
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            String v = n.start("server", status -> {
                log.add("child before started");
                Weft.checkpoint();
                status.started("ready");
                Weft.checkpoint();
                log.add("child after started: parent " + (Lowlevel.currentTask().parentNursery() == n));
            });
            log.add("start returned " + v);
        });
        assertEquals("child before started", log.get(0));
        // After started(), the starter and the child are runnable in the same batch: either may go first.
        assertEquals(Set.of("start returned ready", "child after started: parent true"), Set.copyOf(log.subList(1, 3)));
    }

    @WeftTest
    @Async
    void start_childFailsBeforeStarted_failureReachesCallerBare() {
        Nursery.open(n -> {
            IOException e = assertThrows(IOException.class, () -> n.start(status -> {
                Weft.checkpoint();
                throw new IOException("not ready");
            }));
            assertEquals("not ready", e.getMessage());
        });
    }

    @WeftTest
    @Async
    void start_childReturnsWithoutStarted_isAnError() {
        Nursery.open(n -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.start("lazy", status -> { }));
            assertTrue(e.getMessage().contains("without calling status.started"), e.getMessage());
        });
    }

    @WeftTest
    @Async
    void call_returnsBlockValueAfterChildren() {
        List<String> log = new ArrayList<>();
        String v = Nursery.call(n -> {
            n.startSoon(() -> {
                Weft.checkpoint();
                log.add("child");
            });
            return "value";
        });
        assertEquals("value", v);
        assertEquals(List.of("child"), log);
    }

    @WeftTest
    @Async
    void cancelScope_ofNursery_cancelsAllChildrenAndIsCaught() {
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> {
                    try {
                        Weft.sleepForever();
                    } finally {
                        log.add("child " + id);
                    }
                });
            }
            Testing.waitAllTasksBlocked();
            n.cancelScope().cancel("enough");
        });
        assertEquals(Set.of("child 0", "child 1", "child 2"), Set.copyOf(log));
    }

    @Test
    void run_mainReturnsValueAndFailureIsBare() throws Exception {
        assertEquals(42, (int) Weft.run(() -> 42));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Weft.run(() -> {
            throw new IOException("bare");
        }));
        assertEquals("bare", e.getMessage());
    }

    @Test
    void sleep_outsideRun_isAnErrorNamingTheCall() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Weft.currentTime());
        assertTrue(e.getMessage().startsWith("Weft.currentTime()"), e.getMessage());
    }

    @WeftTest
    @Async
    void run_insideRun_isAnError() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Weft.run(() -> 1));
        assertTrue(e.getMessage().contains("cannot be nested"), e.getMessage());
    }
}
