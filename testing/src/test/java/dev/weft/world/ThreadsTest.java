package dev.weft.world;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.ThreadOptions;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.RunToken;
import dev.weft.sync.CapacityLimiter;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code Weft.runInThread}: values, failures, the three cancellation policies, limiters and
 * the worker pool. Real worker threads are coordinated with latches, which the run waits on
 * through {@code runInThread} itself (never by blocking its own thread), and no test sleeps.
 * Ported in spirit from python-trio/trio {@code src/trio/_tests/test_threads.py}.
 */
class ThreadsTest {

    /** Waits for {@code latch} on a worker thread, failing after 10 s of real time. */
    @Async
    static void awaitOnWorker(CountDownLatch latch) throws Exception {
        boolean ok = Weft.runInThread(() -> latch.await(10, TimeUnit.SECONDS), ThreadOptions.defaults().withoutLimiter());
        assertTrue(ok, "the latch was not counted down within 10 s");
    }

    // ---------------------------------------------------------------- values and failures

    @WeftTest
    @Async
    void runInThread_callableReturns_valueComesBackFromAWorkerThread() throws Exception {
        Thread runThread = Thread.currentThread();
        AtomicReference<Thread> ran = new AtomicReference<>();
        String v = Weft.runInThread(() -> {
            ran.set(Thread.currentThread());
            return "forty-two";
        });
        assertEquals("forty-two", v);
        assertNotSame(runThread, ran.get());
        assertTrue(ran.get().getName().startsWith("weft-worker-"), ran.get().getName());
        assertTrue(ran.get().isDaemon());
    }

    @WeftTest
    @Async
    void runInThread_callableThrows_sameExceptionRethrownBare() {
        IOException thrown = new IOException("disk on fire");
        IOException e = assertThrows(IOException.class, () -> Weft.runInThread(() -> {
            throw thrown;
        }));
        assertSame(thrown, e);
        IllegalStateException u = assertThrows(IllegalStateException.class, () -> Weft.runInThread(() -> {
            throw new IllegalStateException("unchecked");
        }));
        assertEquals("unchecked", u.getMessage());
    }

    @WeftTest
    @Async
    void runInThread_anyCall_isACheckpoint() throws Exception {
        Testing.assertCheckpoints(() -> Weft.runInThread(() -> 1));
        Testing.assertCheckpoints(() -> Weft.runInThread(() -> 1, ThreadOptions.abandonOnCancel().withoutLimiter()));
    }

    @WeftTest
    @Async
    void runInThread_taskAlreadyCancelled_throwsCancelledWithoutStartingAThread() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            Weft.runInThread(() -> ran.getAndSet(true));
        });
        assertTrue(scope.cancelledCaught());
        assertFalse(ran.get());
    }

    // ---------------------------------------------------------------- cancellation

    @WeftTest
    @Async
    void runInThread_cancelledWhileRunningByDefault_waitsForTheThreadThenCancelsAtNextCheckpoint() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon("waiter", () -> scope.run(() -> {
                String v = Weft.runInThread(() -> {
                    started.countDown();
                    release.await();
                    log.add("thread finished");
                    return "its value";
                });
                log.add("returned " + v);
                try {
                    Weft.checkpoint();
                } catch (Cancelled c) {
                    log.add("cancelled at the next checkpoint");
                    throw c;
                }
            }));
            awaitOnWorker(started);
            scope.cancel();
            Testing.waitAllTasksBlocked();
            log.add("cancel delivered; waiter still waiting");
            release.countDown();
        });
        assertEquals(List.of("cancel delivered; waiter still waiting", "thread finished", "returned its value",
                "cancelled at the next checkpoint"), log);
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void runInThread_cancelledWhileRunningWithAbandon_throwsAtOnceAndHoldsTheTokenUntilTheThreadEnds()
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CapacityLimiter one = new CapacityLimiter(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon("abandoner", () -> scope.run(() -> {
                try {
                    Weft.runInThread(() -> {
                        started.countDown();
                        release.await();
                        log.add("abandoned thread finished");
                        return null;
                    }, ThreadOptions.abandonOnCancel().limiter(one));
                } catch (Cancelled c) {
                    log.add("abandoner cancelled at once");
                    throw c;
                }
            }));
            awaitOnWorker(started);
            scope.cancel();
            Testing.waitAllTasksBlocked();
            log.add("abandoner done; token still held: " + one.borrowedTokens());
            release.countDown();
            // The next call on the same one-token limiter must wait until the abandoned thread ends.
            Weft.runInThread(() -> log.add("second call ran"), one);
        });
        assertEquals(List.of("abandoner cancelled at once", "abandoner done; token still held: 1",
                "abandoned thread finished", "second call ran"), log);
        assertEquals(0, one.borrowedTokens());
    }

    @WeftTest
    @Async
    void runInThread_cancelledWithInterruptOnCancel_threadIsInterruptedAndItsExceptionComesBack()
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> got = new AtomicReference<>();
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon("interruptee", () -> scope.run(() -> {
                try {
                    Weft.runInThread(() -> {
                        started.countDown();
                        new CountDownLatch(1).await(); // only an interrupt ends this
                        return null;
                    }, ThreadOptions.interruptOnCancel());
                } catch (InterruptedException e) {
                    got.set(e);
                }
                Weft.checkpoint();
            }));
            awaitOnWorker(started);
            scope.cancel();
        });
        assertTrue(got.get() instanceof InterruptedException, String.valueOf(got.get()));
        assertTrue(scope.cancelledCaught());
    }

    // ---------------------------------------------------------------- limiters

    @WeftTest
    @Async
    void runInThread_limiterOfTwo_atMostTwoThreadsAtOnceAndTheRestWaitInLine() throws Exception {
        CapacityLimiter two = new CapacityLimiter(2);
        CountDownLatch twoStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Nursery.open(n -> {
            for (int i = 0; i < 5; i++) {
                n.startSoon(() -> {
                    Weft.runInThread(() -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        twoStarted.countDown();
                        release.await();
                        running.decrementAndGet();
                        return null;
                    }, two);
                    finished.incrementAndGet();
                });
            }
            awaitOnWorker(twoStarted);
            Testing.waitAllTasksBlocked();
            assertEquals(2, two.statistics().borrowedTokens());
            assertEquals(3, two.statistics().tasksWaiting());
            release.countDown();
        });
        assertEquals(5, finished.get());
        assertEquals(2, most.get());
        assertEquals(0, two.borrowedTokens());
    }

    @WeftTest
    @Async
    void defaultThreadLimiter_newRun_has40TokensAndIsTheOneUsedByDefault() throws Exception {
        CapacityLimiter d = Weft.defaultThreadLimiter();
        assertEquals(40, d.totalTokens());
        assertSame(d, Weft.defaultThreadLimiter());
        Weft.runInThread(() -> 0);
        assertEquals(0, d.borrowedTokens(), "the token is back once the call has returned");
        d.setTotalTokens(1);
        assertEquals("ok", Weft.runInThread(() -> "ok"));
    }

    // ---------------------------------------------------------------- the worker pool

    @Test
    void runInThread_sequentialCalls_reuseOneWorkerThatIsGoneWhenTheRunEnds() throws Exception {
        List<Thread> used = new ArrayList<>();
        Weft.runner().handleInterrupts(false).run(() -> {
            for (int i = 0; i < 5; i++) {
                used.add(Weft.runInThread(Thread::currentThread));
            }
        });
        assertEquals(5, used.size());
        for (Thread t : used) {
            assertSame(used.get(0), t, "an idle worker is reused");
        }
        assertFalse(used.get(0).isAlive(), "the worker ended with the run");
    }

    @Test
    void runInThread_manyConcurrentCalls_noWorkerOutlivesTheRun() throws Exception {
        List<Thread> used = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allStarted = new CountDownLatch(8);
        Weft.runner().handleInterrupts(false).run(() -> Nursery.open(n -> {
            for (int i = 0; i < 8; i++) {
                n.startSoon(() -> Weft.runInThread(() -> {
                    used.add(Thread.currentThread());
                    allStarted.countDown();
                    return allStarted.await(10, TimeUnit.SECONDS);
                }));
            }
        }));
        assertEquals(8, used.size());
        assertEquals(8, used.stream().distinct().count(), "eight calls at once need eight threads");
        for (Thread t : used) {
            assertFalse(t.isAlive(), t.getName() + " outlived the run");
        }
    }

    @WeftTest
    @Async
    void runInThread_callableUsesCurrentRunToken_callsBackIntoTheRun() throws Exception {
        RunToken mine = Lowlevel.currentRunToken();
        String v = Weft.runInThread(() -> {
            RunToken t = Lowlevel.currentRunToken();
            assertEquals(mine, t);
            return t.run(() -> {
                Weft.checkpoint();
                return "from the run, " + Lowlevel.currentTask().name();
            });
        });
        assertEquals("from the run, RunToken.run", v);
    }

    @Test
    void currentRunToken_outsideRun_throwsIllegalStateNamingTheCall() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Lowlevel.currentRunToken());
        assertTrue(e.getMessage().contains("Lowlevel.currentRunToken()"), e.getMessage());
    }
}
