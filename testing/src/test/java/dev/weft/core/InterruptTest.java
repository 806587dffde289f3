package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.AsyncRunnable;
import dev.weft.CancelReason;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.RunInterruptedException;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Runner#interrupt()} from another thread: the in-process counterpart of Ctrl+C (see
 * {@code SigintTest} for a real signal). Each test runs the run on its own thread, waits on a
 * latch until every task is blocked, interrupts it from the JUnit thread, and joins: no real
 * time passes in sleeps. Ported in spirit from python-trio/trio
 * {@code src/trio/_core/_tests/test_ki.py}.
 */
class InterruptTest {

    /** A run on its own thread, and what it ended with. */
    private static final class Background {
        final Runner runner;
        final CountDownLatch blocked;
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final AtomicReference<Object> value = new AtomicReference<>();
        final Thread thread;

        /**
         * Starts {@code main} on a new thread. {@code main} counts {@code blocked} down just
         * before its last blocking call: the interrupt is handled only between steps, so it
         * cannot arrive before that call parks.
         */
        Background(Runner runner, CountDownLatch blocked, AsyncRunnable main) {
            this.runner = runner;
            this.blocked = blocked;
            this.thread = new Thread(() -> {
                try {
                    runner.run(main);
                    value.set("returned");
                } catch (Throwable t) {
                    outcome.set(t);
                }
            }, "weft-interrupt-target");
            thread.start();
        }

        /** Waits until the run has signalled, interrupts it, and waits for it to end. */
        void interruptOnceBlocked() throws InterruptedException {
            try {
                assertTrue(blocked.await(10, TimeUnit.SECONDS), "the run never signalled that it was blocked");
                if (!runner.interrupt()) {
                    thread.join(10_000);
                    throw new AssertionError("interrupt() found no active run; the run ended with "
                            + (outcome.get() != null ? outcome.get() : value.get()), outcome.get());
                }
            } finally {
                thread.join(10_000);
            }
            assertFalse(thread.isAlive(), "the run did not end after the interrupt");
        }
    }

    @Async
    private static void sleepForeverRecording(List<String> record, String who) {
        try {
            Weft.sleepForever();
        } catch (Cancelled c) {
            record.add(who + " cancelled: " + c.reason().source());
            throw c;
        } finally {
            record.add(who + " finally");
        }
    }

    @Test
    void interrupt_mainBlockedInSleepForever_runThrowsRunInterruptedAfterFinally() throws Exception {
        List<String> record = Collections.synchronizedList(new ArrayList<>());
        Runner runner = Weft.runner().handleInterrupts(false);
        CountDownLatch blocked = new CountDownLatch(1);
        Background bg = new Background(runner, blocked, () -> {
            Weft.checkpoint();
            try {
                blocked.countDown();
                Weft.sleepForever();
            } finally {
                record.add("main finally");
            }
        });
        bg.interruptOnceBlocked();
        RunInterruptedException e = assertInstanceOf(RunInterruptedException.class, bg.outcome.get());
        assertTrue(e.getMessage().contains("Runner.interrupt()"), e.getMessage());
        Cancelled c = assertInstanceOf(Cancelled.class, e.getCause());
        assertEquals(CancelReason.Source.INTERRUPT, c.reason().source());
        assertEquals(List.of("main finally"), record);
        assertFalse(runner.interrupt(), "the run has ended");
    }

    @Test
    void interrupt_treeOfBlockedTasks_cancelsEveryTaskAndRunsEveryFinally() throws Exception {
        List<String> record = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch blocked = new CountDownLatch(1);
        Background bg = new Background(Weft.runner().handleInterrupts(false), blocked, () -> Nursery.open(n -> {
            n.startSoon("a", () -> sleepForeverRecording(record, "a"));
            n.startSoon("b", () -> Nursery.open(inner -> {
                inner.startSoon("c", () -> sleepForeverRecording(record, "c"));
                sleepForeverRecording(record, "b");
            }));
            Testing.waitAllTasksBlocked();
            blocked.countDown();
            sleepForeverRecording(record, "main");
        }));
        bg.interruptOnceBlocked();
        RunInterruptedException e = assertInstanceOf(RunInterruptedException.class, bg.outcome.get());
        assertEquals(CancelReason.Source.INTERRUPT, ((Cancelled) e.getCause()).reason().source());
        Set<String> expected = Set.of("a cancelled: INTERRUPT", "a finally", "b cancelled: INTERRUPT", "b finally",
                "c cancelled: INTERRUPT", "c finally", "main cancelled: INTERRUPT", "main finally");
        assertEquals(expected, Set.copyOf(record));
        assertEquals(expected.size(), record.size(), "each finally runs once: " + record);
    }

    @Test
    void interrupt_mockClockRunBlockedInLongSleep_endsWithoutWaitingForTheClock() throws Exception {
        // With time standing still the sleeps could never end by themselves: only the interrupt ends them.
        List<String> record = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch blocked = new CountDownLatch(1);
        Runner runner = Weft.runner().handleInterrupts(false).clock(new MockClock());
        Background bg = new Background(runner, blocked, () -> {
            CancelScope.moveOnAfter(Duration.ofDays(365)).run(() -> Nursery.open(n -> {
                n.startSoon(() -> {
                    try {
                        Weft.sleep(Duration.ofDays(30));
                    } finally {
                        record.add("sleeper finally");
                    }
                });
                Testing.waitAllTasksBlocked();
                blocked.countDown();
                Weft.sleepForever();
            }));
            record.add("not reached: the interrupt is not the scope's to catch");
        });
        bg.interruptOnceBlocked();
        assertInstanceOf(RunInterruptedException.class, bg.outcome.get());
        assertEquals(List.of("sleeper finally"), record);
    }

    @Test
    void interrupt_childFailsWhileUnwinding_runThrowsThatFailure() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        Background bg = new Background(Weft.runner().handleInterrupts(false), blocked, () -> Nursery.open(n -> {
            n.startSoon("cleanup-fails", () -> {
                try {
                    Weft.sleepForever();
                } catch (Cancelled c) {
                    throw new IOException("cleanup failed");
                }
            });
            Testing.waitAllTasksBlocked();
            blocked.countDown();
            Weft.sleepForever();
        }));
        bg.interruptOnceBlocked();
        // A real failure is not hidden behind the interrupt, and the interrupt's Cancelled
        // members are taken out at the root, as the scope the interrupt cancelled.
        FailureGroup g = assertInstanceOf(FailureGroup.class, bg.outcome.get());
        assertEquals("cleanup failed", g.first(IOException.class).orElseThrow().getMessage());
        assertTrue(g.all(Cancelled.class).isEmpty(), g.toString());
    }

    @Test
    void interrupt_mainCatchesCancelAndReturns_runReturnsNormally() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        CountDownLatch blocked = new CountDownLatch(1);
        Background bg = new Background(Weft.runner().handleInterrupts(false), blocked, () -> {
            try {
                blocked.countDown();
                Weft.sleepForever();
            } catch (Cancelled c) {
                seen.set(c.getMessage());
            }
        });
        bg.interruptOnceBlocked();
        assertEquals("returned", bg.value.get(), String.valueOf(bg.outcome.get()));
        assertTrue(seen.get().startsWith("cancelled by an interrupt (Runner.interrupt())"), seen.get());
    }
}
