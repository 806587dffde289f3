package dev.weft.world;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.AwaitCancellation;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code Weft.await(CompletionStage)}: values, unwrapped failures, checkpoints, completion on
 * another thread, and the two cancellation policies. Other threads complete futures only
 * after the run has shown (with {@code waitAllTasksBlocked}) that the awaiting task is parked.
 */
class AwaitTest {

    /** Completes {@code f} from a new plain thread, and returns the thread. */
    private static Thread completeElsewhere(CompletableFuture<String> f, String value) {
        Thread t = new Thread(() -> f.complete(value), "completer");
        t.start();
        return t;
    }

    @WeftTest
    @Async
    void await_completedFuture_returnsItsValueAndIsACheckpoint() throws Exception {
        assertEquals("done", Weft.await(CompletableFuture.completedFuture("done")));
        Testing.assertCheckpoints(() -> Weft.await(CompletableFuture.completedFuture(1)));
    }

    @WeftTest
    @Async
    void await_completedFutureInCancelledScope_throwsCancelled() throws Exception {
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            scope.cancel();
            Weft.await(CompletableFuture.completedFuture("x"));
            log.add("not reached");
        });
        assertTrue(scope.cancelledCaught());
        assertEquals(List.of(), log);
    }

    @WeftTest
    @Async
    void await_failedFuture_throwsTheCauseWithoutWrappers() {
        IOException cause = new IOException("refused");
        assertSame(cause, assertThrows(IOException.class, () -> Weft.await(CompletableFuture.failedFuture(cause))));
        CompletableFuture<String> wrapped = new CompletableFuture<>();
        wrapped.completeExceptionally(new CompletionException(new ExecutionException(cause)));
        assertSame(cause, assertThrows(IOException.class, () -> Weft.await(wrapped)));
    }

    @WeftTest
    @Async
    void await_futureCompletedLaterOnAnotherThread_wakesTheTaskWithTheValue() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        AtomicReference<String> got = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon(() -> got.set(Weft.await(f)));
            Testing.waitAllTasksBlocked();
            assertEquals(null, got.get());
            Thread t = completeElsewhere(f, "late");
            Weft.runInThread(() -> {
                t.join();
                return null;
            });
        });
        assertEquals("late", got.get());
    }

    @WeftTest
    @Async
    void await_futureFailsLaterOnAnotherThread_throwsTheCauseBare() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        IOException cause = new IOException("reset by peer");
        AtomicReference<Throwable> got = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon(() -> got.set(assertThrows(IOException.class, () -> Weft.await(f.thenApply(s -> s + "!")))));
            Testing.waitAllTasksBlocked();
            Weft.runInThread(() -> f.completeExceptionally(cause));
        });
        assertSame(cause, got.get(), "the CompletionException of the dependent stage is taken off");
    }

    @WeftTest
    @Async
    void await_cancelledWhileWaiting_cancelsTheFutureAndThrowsCancelled() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        List<String> log = new ArrayList<>();
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon(() -> scope.run(() -> {
                try {
                    Weft.await(f);
                } catch (Cancelled c) {
                    log.add("cancelled; future cancelled: " + f.isCancelled());
                    throw c;
                }
            }));
            Testing.waitAllTasksBlocked();
            scope.cancel();
        });
        assertEquals(List.of("cancelled; future cancelled: true"), log);
        assertTrue(f.isCancelled());
    }

    @WeftTest
    @Async
    void await_cancelledWhileWaitingWithStopWaiting_leavesTheFutureToComplete() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon(() -> scope.run(() -> Weft.await(f, AwaitCancellation.STOP_WAITING)));
            Testing.waitAllTasksBlocked();
            scope.cancel();
        });
        assertTrue(scope.cancelledCaught());
        assertFalse(f.isDone());
        // Completing it afterwards reaches nobody, and harms nothing.
        Weft.runInThread(() -> f.complete("unwanted"));
        Weft.checkpoint();
        assertEquals("unwanted", f.join());
    }

    @WeftTest
    @Async
    void await_futureCancelledBySomeoneElse_throwsCancellationException() {
        CompletableFuture<String> f = new CompletableFuture<>();
        AtomicReference<Throwable> got = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon(() -> got.set(assertThrows(CancellationException.class, () -> Weft.await(f))));
            Testing.waitAllTasksBlocked();
            f.cancel(false);
        });
        assertTrue(got.get() instanceof CancellationException);
    }

    @WeftTest
    @Async
    void await_minimalCompletionStage_works() throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        CompletionStage<Integer> minimal = f.minimalCompletionStage();
        AtomicReference<Integer> got = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon(() -> got.set(Weft.await(minimal)));
            Testing.waitAllTasksBlocked();
            f.complete(7);
        });
        assertEquals(7, got.get());
    }
}
