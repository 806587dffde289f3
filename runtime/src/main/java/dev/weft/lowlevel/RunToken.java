package dev.weft.lowlevel;

import dev.weft.AsyncCallable;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.annotation.Async;
import dev.weft.internal.RunLoop;
import dev.weft.internal.Sneaky;
import dev.weft.internal.TaskCore;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A handle on one run that other threads use to call into it: Trio's {@code TrioToken}
 * together with {@code trio.from_thread}. Take it inside the run with
 * {@link Lowlevel#currentRunToken()} and hand it to the threads that need it.
 * {@snippet :
 * RunToken token = Lowlevel.currentRunToken();      // inside the run
 * Event done = new Event();
 * new Thread(() -> {                                 // any other thread
 *     try {
 *         String answer = token.run(() -> { Weft.sleep(Duration.ofSeconds(1)); return "from the run"; });
 *         token.runSync(() -> { done.set(); return answer; });   // wakes the tasks waiting on done
 *     } catch (Exception e) {
 *         e.printStackTrace();
 *     }
 * }).start();
 * done.await();
 * }
 *
 * <h2>The three ways in</h2>
 * <ul>
 *   <li>{@link #runSoon(Runnable)} queues a plain function to run on the run's thread between
 *       two batches, and returns at once.
 *   <li>{@link #runSync(Callable)} does the same and blocks the calling thread until the
 *       function has run, returning its value or throwing its exception.
 *   <li>{@link #run(AsyncCallable)} starts an async function in the run, as a system task
 *       (see {@link Lowlevel#spawnSystemTask}), and blocks until it ends.
 * </ul>
 * The functions of {@code runSoon} and {@code runSync} run on the run's thread outside any
 * task: they must not call {@code @Async} code nor anything that needs a current task, and
 * should be quick, since no task runs meanwhile. They may wake tasks
 * ({@link Lowlevel#reschedule}), which is what they are mostly for.
 *
 * <h2>States</h2>
 * <table class="striped">
 *   <caption>What each method does in each state of the run</caption>
 *   <thead><tr><th>Run</th><th>{@code runSoon}</th><th>{@code runSync}</th><th>{@code run}</th></tr></thead>
 *   <tbody>
 *   <tr><td>RUNNING (main task alive)</td><td>queued</td><td>runs, waits</td><td>system task, waits</td></tr>
 *   <tr><td>FINISHING (main task ended, system tasks unwinding)</td><td>queued</td><td>runs, waits</td>
 *     <td>{@code IllegalStateException}</td></tr>
 *   <tr><td>FINISHED</td><td>{@code IllegalStateException}</td><td>{@code IllegalStateException}</td>
 *     <td>{@code IllegalStateException}</td></tr>
 *   </tbody>
 * </table>
 * A blocking call queued just as the last task exits is answered with
 * {@code IllegalStateException} too, never left waiting; a {@code runSoon} function queued
 * then, after {@code runSoon} has returned, may not run at all.
 *
 * <p>The blocking methods refuse to run on the run's own thread, where waiting would
 * deadlock; from a task, call the function directly. They may be called from any number of
 * threads at once, including the worker threads of {@code Weft.runInThread}.
 *
 * <p>Memory consistency effects: actions in a thread before it calls any method here
 * happen-before the function runs on the run's thread; actions of the function (and of the
 * async function's task) happen-before the blocking call returns in the calling thread.
 *
 * <p>Two tokens are equal if they belong to the same run.
 */
public final class RunToken {
    private final RunLoop loop;

    RunToken(RunLoop loop) {
        this.loop = loop;
    }

    /**
     * Queues {@code fn} to run on the run's thread between two batches; returns at once. Not
     * a checkpoint; callable from any thread, including the run's own. If {@code fn} throws,
     * the failure is treated like that of a failing system task: it cancels the run, and
     * {@code Weft.run} throws it.
     *
     * @param fn a quick, non-blocking function
     * @throws IllegalStateException if the run has ended
     */
    public void runSoon(Runnable fn) {
        Objects.requireNonNull(fn, "fn");
        if (!loop.post(() -> runGuarded(fn))) {
            throw ended("runSoon");
        }
    }

    private void runGuarded(Runnable fn) {
        try {
            fn.run();
        } catch (Throwable t) {
            // As a system task's failure: it cancels the run and is what Weft.run throws.
            loop.spawnSystem(new Rethrow(t), "RunToken.runSoon(" + fn + ")", null);
        }
    }

    /**
     * Runs {@code fn} on the run's thread, between two batches, and waits for it. Not a
     * checkpoint (it is not called from a task).
     *
     * <p>If the calling thread is interrupted while it waits, {@code fn} is not run if it has
     * not started, and this throws {@link InterruptedException}.
     *
     * @param fn a quick, non-blocking function
     * @param <T> its value's type
     * @return what {@code fn} returned
     * @throws Exception what {@code fn} threw, bare
     * @throws InterruptedException if the calling thread was interrupted while waiting
     * @throws IllegalStateException if the run has ended (or ends before {@code fn} runs), or
     *     if called on the run's own thread
     */
    public <T> T runSync(Callable<T> fn) throws Exception {
        Objects.requireNonNull(fn, "fn");
        refuseOnRunThread("runSync");
        SyncCall<T> call = new SyncCall<>(fn);
        if (!loop.post(call)) {
            throw ended("runSync");
        }
        return await(call.result, () -> call.result.cancel(false));
    }

    /**
     * Runs the async function {@code fn} in the run, as a system task named
     * {@code RunToken.run}, and waits for it. The task is a child of the run: it is
     * cancelled when the run's main task ends (then {@code fn} likely throws
     * {@link Cancelled}, which this rethrows in the calling thread), and the run waits for it.
     *
     * <p>If the calling thread is interrupted while it waits, the task is cancelled (its own
     * cancel scope, with the reason "the calling thread was interrupted"), and this throws
     * {@link InterruptedException} at once, without waiting for the task to unwind.
     *
     * @param fn the async function
     * @param <T> its value's type
     * @return what {@code fn} returned
     * @throws Exception what {@code fn} threw, bare (including {@link Cancelled})
     * @throws InterruptedException if the calling thread was interrupted while waiting
     * @throws IllegalStateException if the run has ended or is finishing (its main task has
     *     ended, so no new system task may start), or if called on the run's own thread
     */
    public <T> T run(AsyncCallable<T> fn) throws Exception {
        Objects.requireNonNull(fn, "fn");
        refuseOnRunThread("run");
        AsyncCall<T> call = new AsyncCall<>(fn);
        if (!loop.post(call)) {
            throw ended("run");
        }
        return await(call.result, () -> loop.post(call::cancel));
    }

    private static <T> T await(CompletableFuture<T> result, Runnable onInterrupt) throws Exception {
        try {
            return result.get();
        } catch (InterruptedException e) {
            onInterrupt.run();
            throw e;
        } catch (ExecutionException e) {
            throw Sneaky.rethrow(e.getCause());
        }
    }

    private void refuseOnRunThread(String what) {
        if (RunLoop.onThisThread() == loop) {
            throw new IllegalStateException("RunToken." + what + " was called on the run's own thread '"
                    + loop.thread().getName() + "', where waiting for the run would deadlock: from a task, call the "
                    + "function directly (or use runSoon to queue it)");
        }
    }

    private IllegalStateException ended(String what) {
        return new IllegalStateException("RunToken." + what + ": the run on thread '" + loop.thread().getName()
                + "' is FINISHED (every task has exited), so nothing can run in it any more; a token is good only "
                + "while its run lasts");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunToken t && t.loop == loop;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(loop);
    }

    @Override
    public String toString() {
        return "RunToken[run on thread '" + loop.thread().getName() + "']";
    }

    // ---------------------------------------------------------------- the calls

    /** A {@link #runSync} call: runs on the run's thread, or learns that it never will. */
    private final class SyncCall<T> implements RunLoop.PostedWork {
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Callable<T> fn;

        SyncCall(Callable<T> fn) {
            this.fn = fn;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return; // the caller was interrupted and gave up
            }
            try {
                result.complete(fn.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        @Override
        public void dropped() {
            result.completeExceptionally(endedBeforeRunning("runSync"));
        }
    }

    private IllegalStateException endedBeforeRunning(String what) {
        return new IllegalStateException("RunToken." + what + ": the run on thread '" + loop.thread().getName()
                + "' became FINISHED (its last task exited) before the call could run");
    }

    /** A {@link #run} call: starts the system task on the run's thread. */
    private final class AsyncCall<T> implements RunLoop.PostedWork {
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final AsyncCallable<T> fn;
        /** The task's own scope, once it has entered it; read and written on the run's thread. */
        private CancelScope scope;
        /** Set when the caller was interrupted; read and written on the run's thread. */
        private boolean cancelRequested;

        AsyncCall(AsyncCallable<T> fn) {
            this.fn = fn;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return;
            }
            TaskCore main = loop.mainTask();
            if (main == null || main.state() == TaskCore.State.DONE) {
                result.completeExceptionally(new IllegalStateException("RunToken.run: the run on thread '"
                        + loop.thread().getName() + "' is FINISHING (its main task has ended and its system tasks "
                        + "are being cancelled), so it starts no new task"));
                return;
            }
            loop.spawnSystem(new Entry<>(this), "RunToken.run", null);
        }

        @Override
        public void dropped() {
            result.completeExceptionally(endedBeforeRunning("run"));
        }

        /** The caller was interrupted: cancel the task (on the run's thread). */
        void cancel() {
            cancelRequested = true;
            if (scope != null) {
                scope.cancel("the thread that called RunToken.run was interrupted");
            }
        }
    }

    /** The system task's body: runs the function in its own scope and hands back the outcome. */
    private static final class Entry<T> implements AsyncCallable<Object> {
        private final AsyncCall<T> call;

        Entry(AsyncCall<T> call) {
            this.call = call;
        }

        @Async
        @Override
        public Object call() {
            CancelScope scope = new CancelScope();
            call.scope = scope;
            if (call.cancelRequested) {
                scope.cancel("the thread that called RunToken.run was interrupted");
            }
            try {
                T value = scope.call(call.fn::call);
                if (scope.cancelledCaught()) {
                    // Only the caller's interrupt cancels this scope, and the caller has gone.
                    call.result.cancel(false);
                } else {
                    call.result.complete(value);
                }
            } catch (Throwable t) {
                call.result.completeExceptionally(t);
            }
            return null;
        }
    }

    /** The body of the system task that turns a {@code runSoon} function's failure into a run failure. */
    private static final class Rethrow implements AsyncCallable<Object> {
        private final Throwable failure;

        Rethrow(Throwable failure) {
            this.failure = failure;
        }

        @Async
        @Override
        public Object call() {
            throw Sneaky.rethrow(failure);
        }
    }
}
