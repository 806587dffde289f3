package dev.weft.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.ThreadOptions;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Instrument;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.RunToken;
import dev.weft.lowlevel.Task;
import dev.weft.testing.MockClock;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link RunToken}: calling into a run from other threads, its refusals, the run's end, and
 * thousands of calls from several threads at once. Threads are plain platform threads; the run
 * waits for them through {@code runInThread}. Ported in spirit from python-trio/trio
 * {@code src/trio/_tests/test_threads.py} ({@code from_thread}) and
 * {@code _core/_tests/test_run.py} ({@code TrioToken}).
 */
class RunTokenTest {

    /** Runs {@code body} on a new platform thread and returns what it returned or threw. */
    private static Thread thread(String name, AtomicReference<Object> outcome, ThrowingSupplier body) {
        Thread t = new Thread(() -> {
            try {
                outcome.set(body.get());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, name);
        t.start();
        return t;
    }

    interface ThrowingSupplier {
        Object get() throws Exception;
    }

    @Async
    private static void join(Thread... threads) throws Exception {
        Weft.runInThread(() -> {
            for (Thread t : threads) {
                t.join(30_000);
                if (t.isAlive()) {
                    throw new AssertionError(t.getName() + " did not finish within 30 s");
                }
            }
            return null;
        }, ThreadOptions.defaults().withoutLimiter());
    }

    // ---------------------------------------------------------------- the three ways in

    @WeftTest
    @Async
    void runSync_fromAnotherThread_runsOnTheRunsThreadAndReturnsTheValue() throws Exception {
        RunToken token = Lowlevel.currentRunToken();
        Thread runThread = Thread.currentThread();
        AtomicReference<Object> outcome = new AtomicReference<>();
        join(thread("caller", outcome, () -> token.runSync(() -> Thread.currentThread() == runThread ? "on the run's thread" : "elsewhere")));
        assertEquals("on the run's thread", outcome.get());
    }

    @WeftTest
    @Async
    void runSync_functionThrows_callerGetsTheSameExceptionBare() throws Exception {
        RunToken token = Lowlevel.currentRunToken();
        IOException thrown = new IOException("no");
        AtomicReference<Object> outcome = new AtomicReference<>();
        join(thread("caller", outcome, () -> token.runSync(() -> {
            throw thrown;
        })));
        assertSame(thrown, outcome.get());
    }

    @WeftTest
    @Async
    void run_asyncFunctionFromAnotherThread_runsAsASystemTaskAndReturnsItsValue(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        RunToken token = Lowlevel.currentRunToken();
        AtomicReference<Object> outcome = new AtomicReference<>();
        join(thread("caller", outcome, () -> token.run(() -> {
            Weft.sleep(Duration.ofSeconds(10));
            Task me = Lowlevel.currentTask();
            return me.name() + " system=" + me.isSystemTask() + " at " + Weft.currentTime();
        })));
        assertEquals("RunToken.run system=true at 10.0", outcome.get());
    }

    @WeftTest
    @Async
    void run_asyncFunctionThrows_callerGetsTheSameExceptionBareAndTheRunGoesOn() throws Exception {
        RunToken token = Lowlevel.currentRunToken();
        IOException thrown = new IOException("async no");
        AtomicReference<Object> outcome = new AtomicReference<>();
        join(thread("caller", outcome, () -> token.run(() -> {
            Weft.checkpoint();
            throw thrown;
        })));
        assertSame(thrown, outcome.get());
        Weft.checkpoint();
    }

    @WeftTest
    @Async
    void runSoon_fromAnotherThread_runsOnTheRunsThreadWithoutWaiting() throws Exception {
        RunToken token = Lowlevel.currentRunToken();
        Thread runThread = Thread.currentThread();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        join(thread("caller", outcome, () -> {
            token.runSoon(() -> {
                if (Thread.currentThread() == runThread) {
                    ran.countDown();
                }
            });
            return "queued";
        }));
        assertEquals("queued", outcome.get());
        ThreadsTest.awaitOnWorker(ran);
    }

    @Test
    void runSoon_functionThrows_failsTheRunLikeASystemTask() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weft.runner().handleInterrupts(false).run(() -> {
                    Lowlevel.currentRunToken().runSoon(() -> {
                        throw new IllegalArgumentException("boom");
                    });
                    Weft.sleepForever();
                }));
        assertEquals("boom", e.getMessage());
    }

    // ---------------------------------------------------------------- refusals and the end of the run

    @WeftTest
    @Async
    void runSync_onTheRunsOwnThread_refusedAsADeadlock() {
        RunToken token = Lowlevel.currentRunToken();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> token.runSync(() -> 1));
        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
        IllegalStateException a = assertThrows(IllegalStateException.class, () -> token.run(() -> 1));
        assertTrue(a.getMessage().contains("deadlock"), a.getMessage());
    }

    @Test
    void runSync_afterTheRunEnded_throwsIllegalStateNamingFinished() throws Exception {
        RunToken token = Weft.runner().handleInterrupts(false).run(() -> Lowlevel.currentRunToken());
        IllegalStateException sync = assertThrows(IllegalStateException.class, () -> token.runSync(() -> 1));
        assertTrue(sync.getMessage().contains("FINISHED"), sync.getMessage());
        IllegalStateException async = assertThrows(IllegalStateException.class, () -> token.run(() -> 1));
        assertTrue(async.getMessage().contains("FINISHED"), async.getMessage());
        IllegalStateException soon = assertThrows(IllegalStateException.class, () -> token.runSoon(() -> { }));
        assertTrue(soon.getMessage().contains("FINISHED"), soon.getMessage());
    }

    @Test
    void run_afterTheMainTaskEnded_throwsIllegalStateNamingFinishing() throws Exception {
        CountDownLatch mainExited = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Instrument watchMain = new Instrument() {
            @Override
            public void taskExited(Task task) {
                if (task.id() == 1) {
                    mainExited.countDown();
                }
            }
        };
        Weft.runner().handleInterrupts(false).instrument(watchMain).run(() -> {
            RunToken token = Lowlevel.currentRunToken();
            Lowlevel.spawnSystemTask("lingerer", () -> new dev.weft.CancelScope().setShield(true).run(() ->
                    outcome.set(Weft.runInThread(() -> {
                        assertTrue(mainExited.await(10, TimeUnit.SECONDS));
                        try {
                            return token.run(() -> "ran");
                        } catch (IllegalStateException e) {
                            return e;
                        }
                    }))));
        });
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.get());
        assertTrue(e.getMessage().contains("FINISHING"), e.getMessage());
    }

    @WeftTest
    @Async
    void run_callerInterruptedWhileWaiting_taskIsCancelledAndCallerGetsInterruptedException() throws Exception {
        RunToken token = Lowlevel.currentRunToken();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch unwound = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = thread("caller", outcome, () -> token.run(() -> {
            started.countDown();
            try {
                Weft.sleepForever();
            } catch (Cancelled c) {
                log.add("task cancelled: " + c.reason().detail());
                throw c;
            } finally {
                unwound.countDown();
            }
            return null;
        }));
        ThreadsTest.awaitOnWorker(started);
        caller.interrupt();
        ThreadsTest.awaitOnWorker(unwound);
        join(caller);
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertEquals(List.of("task cancelled: the thread that called RunToken.run was interrupted"), log);
    }

    @WeftTest
    @Async
    void currentRunToken_twiceInOneRun_sameToken() {
        assertSame(Lowlevel.currentRunToken(), Lowlevel.currentRunToken());
        assertNotNull(Lowlevel.currentRunToken().toString());
    }

    // ---------------------------------------------------------------- many threads

    /**
     * 8 threads make 500 calls each, mixing the three ways in; every call must run exactly
     * once and answer its own caller. The count per call is kept on the run's thread, so the
     * map needs no lock.
     */
    @WeftTest(timeoutSeconds = 60)
    @Async
    void runSyncRunAndRunSoon_8ThreadsX500Calls_everyCallAnsweredExactlyOnce() throws Exception {
        int threads = 8;
        int calls = 500;
        RunToken token = Lowlevel.currentRunToken();
        Map<String, Integer> ranOnRunThread = new HashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        int soonPerThread = calls / 3; // i % 3 == 2 for i in [0, 500): 2, 5, ..., 497, 166 calls
        CountDownLatch soonDone = new CountDownLatch(threads * soonPerThread);
        Thread[] ts = new Thread[threads];
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int who = t;
            AtomicReference<Object> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            ts[t] = thread("caller-" + t, outcome, () -> {
                for (int i = 0; i < calls; i++) {
                    String key = who + ":" + i;
                    switch (i % 3) {
                        case 0 -> {
                            String answer = token.runSync(() -> {
                                ranOnRunThread.merge(key, 1, Integer::sum);
                                return "sync " + key;
                            });
                            if (!answer.equals("sync " + key)) {
                                wrong.add(key + " got " + answer);
                            }
                        }
                        case 1 -> {
                            String answer = token.run(() -> {
                                Weft.checkpoint();
                                ranOnRunThread.merge(key, 1, Integer::sum);
                                return "async " + key;
                            });
                            if (!answer.equals("async " + key)) {
                                wrong.add(key + " got " + answer);
                            }
                        }
                        default -> {
                            token.runSoon(() -> {
                                ranOnRunThread.merge(key, 1, Integer::sum);
                                soonDone.countDown();
                            });
                        }
                    }
                }
                return "done";
            });
        }
        join(ts);
        ThreadsTest.awaitOnWorker(soonDone);
        for (AtomicReference<Object> o : outcomes) {
            assertEquals("done", o.get());
        }
        assertEquals(List.of(), wrong);
        assertEquals(threads * calls, ranOnRunThread.size());
        for (Map.Entry<String, Integer> e : ranOnRunThread.entrySet()) {
            assertEquals(1, e.getValue(), "call " + e.getKey() + " ran " + e.getValue() + " times");
        }
    }
}
