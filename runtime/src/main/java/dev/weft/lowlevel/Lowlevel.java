package dev.weft.lowlevel;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import dev.weft.internal.IoWaits;
import dev.weft.internal.RunLoop;
import dev.weft.internal.TaskCore;
import dev.weft.internal.WorkerPool;
import java.nio.channels.SelectableChannel;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The scheduler's primitives, for code that builds new blocking operations (locks,
 * channels, sockets) and for tools: the current task, parking and waking tasks, system
 * tasks, instruments, and the task tree. Trio's {@code trio.lowlevel}.
 *
 * <h2>Building a blocking operation</h2>
 * Every blocking operation follows one pattern: try without blocking; if that fails,
 * register the current task with whatever will wake it, and {@link #park(Abort)} with an
 * abort callback that undoes the registration. The waker calls {@link #reschedule(Task,
 * Object)}. If the operation could complete at once, it must still be a checkpoint
 * ({@code Weft.checkpoint()}), so that every async primitive is one.
 * {@snippet :
 * @Async Object take() {
 *     if (!queue.isEmpty()) { Weft.checkpoint(); return queue.poll(); }
 *     Task me = Lowlevel.currentTask();
 *     waiters.add(me);
 *     return Lowlevel.park(cancelled -> { waiters.remove(me); return AbortResult.SUCCEEDED; });
 * }
 * }
 *
 * <p>Every method must be called on the run's thread, except {@link #dumpTaskTrees()} and
 * {@link #currentRunToken()} (also callable on the run's worker threads).
 */
public final class Lowlevel {
    private Lowlevel() {
    }

    /**
     * Returns the task running on this thread. Not a checkpoint.
     *
     * @return the current task
     * @throws IllegalStateException if called outside a run
     */
    public static Task currentTask() {
        return TaskCore.current("Lowlevel.currentTask()");
    }

    /**
     * Parks the current task until another task, a timer or another thread reschedules it:
     * the one primitive every blocking operation is built on. A schedule point, and a cancel
     * point unless {@code onCancel} is {@link Abort#NEVER}.
     *
     * <p>If the task's cancel scope is cancelled while it is parked (or already is when it
     * parks), the scheduler calls {@code onCancel}; see {@link Abort}.
     *
     * @param onCancel what to do on cancellation
     * @return the value given to {@link #reschedule(Task, Object)}
     * @throws dev.weft.Cancelled if the task was cancelled and {@code onCancel} succeeded
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static Object park(Abort onCancel) {
        Objects.requireNonNull(onCancel, "onCancel");
        TaskCore task = TaskCore.current("Lowlevel.park");
        task.beginPark(onCancel);
        return Continuation.suspend();
    }

    /**
     * Wakes a parked task: its {@link #park} returns {@code value}. Not a checkpoint.
     *
     * @param task a task parked in this run
     * @param value what its park returns
     * @throws IllegalStateException if the task is not parked (already woken, running or done)
     */
    public static void reschedule(Task task, Object value) {
        TaskCore t = (TaskCore) task;
        t.loop().reschedule(t, value, null);
    }

    /**
     * Wakes a parked task with a failure: its {@link #park} throws {@code failure}.
     *
     * @param task a task parked in this run
     * @param failure what its park throws
     * @throws IllegalStateException if the task is not parked
     */
    public static void rescheduleWithFailure(Task task, Throwable failure) {
        TaskCore t = (TaskCore) task;
        t.loop().reschedule(t, null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Registers {@code hook} to be called when {@code task} exits: for resources a task owns
     * that must not outlive it. {@code dev.weft.sync.Lock} uses it (through a
     * {@code ParkingLot} breaker, Trio's {@code add_parking_lot_breaker}) so that a task that
     * ends while holding a lock breaks the lock instead of leaving its waiters blocked
     * forever. Not a checkpoint.
     *
     * <p>The hook is called once, on the run's thread, right after the task's last step
     * (whether it returned, threw or was cancelled), with the task as argument, and before
     * the task's nursery hears of the exit; hooks of one task are called in the order they
     * were added. A hook may reschedule other tasks, but must not park, call async code or
     * throw: a hook that throws ends the run, and {@code Weft.run} throws its exception, since
     * whatever it guarded is in an unknown state. The same hook may be added more than once;
     * each addition needs its own {@link #removeTaskExitHook removal}.
     *
     * @implNote A task keeps its hooks in a small array made on its first hook; adding is
     *     O(1) and allocation-free from then on.
     *
     * @param task a task of this run that has not exited
     * @param hook what to call; compared by identity when removed
     * @throws IllegalStateException if the task has exited, or if called outside a run
     */
    public static void addTaskExitHook(Task task, Consumer<? super Task> hook) {
        Objects.requireNonNull(hook, "hook");
        TaskCore.current("Lowlevel.addTaskExitHook");
        ((TaskCore) Objects.requireNonNull(task, "task")).addExitHook(hook);
    }

    /**
     * Takes back one registration of {@code hook} made with {@link #addTaskExitHook}: the
     * most recent, so that nested registrations released in reverse order cost O(1). Not a
     * checkpoint.
     *
     * @param task the task the hook was added to
     * @param hook the hook, compared by identity
     * @return true if a registration was removed; false if the hook was not registered for
     *     this task (or the task has exited, which drops every hook)
     * @throws IllegalStateException if called outside a run
     */
    public static boolean removeTaskExitHook(Task task, Consumer<? super Task> hook) {
        Objects.requireNonNull(hook, "hook");
        TaskCore.current("Lowlevel.removeTaskExitHook");
        return ((TaskCore) Objects.requireNonNull(task, "task")).removeExitHook(hook);
    }

    /**
     * Starts a system task: a child of the run rather than of a nursery. System tasks are
     * cancelled when the main task ends, and the run waits for them; a failing system task
     * cancels the whole run and its failure is what {@code Weft.run} throws. For services
     * that live as long as the run. Not a checkpoint.
     *
     * @param name the task's name
     * @param fn its body
     * @return the task
     * @throws IllegalStateException if called outside a run
     */
    public static Task spawnSystemTask(String name, AsyncRunnable fn) {
        Objects.requireNonNull(fn, "fn");
        TaskCore current = TaskCore.current("Lowlevel.spawnSystemTask");
        AsyncCallable<Object> entry = new SystemEntry(fn);
        return current.loop().spawnSystem(entry, name, current.locals());
    }

    /**
     * Adds an instrument to the current run.
     *
     * @param instrument the instrument
     * @throws IllegalStateException if called outside a run
     */
    public static void addInstrument(Instrument instrument) {
        TaskCore.current("Lowlevel.addInstrument").loop().addInstrument(instrument);
    }

    /**
     * Removes an instrument from the current run.
     *
     * @param instrument the instrument
     * @throws IllegalArgumentException if it is not installed
     * @throws IllegalStateException if called outside a run
     */
    public static void removeInstrument(Instrument instrument) {
        TaskCore.current("Lowlevel.removeInstrument").loop().removeInstrument(instrument);
    }

    /**
     * Returns the current run's clock.
     *
     * @return the clock
     * @throws IllegalStateException if called outside a run
     */
    public static Clock currentClock() {
        return TaskCore.current("Lowlevel.currentClock").loop().clock();
    }

    /**
     * Returns the current run's main task.
     *
     * @return the main task
     * @throws IllegalStateException if called outside a run
     */
    public static Task currentRootTask() {
        return TaskCore.current("Lowlevel.currentRootTask").loop().mainTask();
    }

    /**
     * Returns a dump of the task tree of every run in this JVM: each task with its state and
     * the source line where it is suspended, each nursery with its children. Callable from
     * any thread; from another thread it waits up to a second for each run to reach a point
     * between two steps.
     *
     * @return the dump, one block per run
     */
    public static String dumpTaskTrees() {
        return RunLoop.dumpAll();
    }

    /**
     * Waits until every other task of the run is blocked, and has been for {@code cushion}
     * real seconds: for tests (Trio's {@code wait_all_tasks_blocked}; {@code dev.weft.testing} offers it too). With a mock clock
     * whose autojump is armed, it wakes before the clock jumps. Several waiters with the same
     * cushion wake together; those with a larger cushion wait for the smaller ones to settle.
     * A checkpoint.
     *
     * @param cushion real seconds of idleness to wait for, at least 0
     * @throws Cancelled if the task is cancelled meanwhile
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void waitAllTasksBlocked(double cushion) {
        if (!(cushion >= 0)) {
            throw new IllegalArgumentException("cushion must be >= 0, was " + cushion);
        }
        TaskCore task = TaskCore.current("Lowlevel.waitAllTasksBlocked");
        task.loop().addIdleWaiter(task, cushion);
        park(cancelled -> {
            task.loop().removeIdleWaiter(task);
            return AbortResult.SUCCEEDED;
        });
    }

    /**
     * Waits until {@code channel} is readable: it has data, has reached its end, has failed,
     * or (for a {@link java.nio.channels.ServerSocketChannel}) has a connection to accept.
     * Trio's {@code wait_readable}. The run waits in a {@link java.nio.channels.Selector}
     * that it opens on the first I/O wait and closes when it ends. Always a checkpoint
     * (it parks, also when the channel is ready already), and a cancel point: a cancelled
     * wait takes its interest back from the selector. Readiness is a hint: the operation
     * that follows may still find nothing to do and must then wait again. Close a channel
     * that tasks may be waiting on only after {@link #notifyClosing}: closing it directly
     * leaves its waiters parked until they are cancelled.
     *
     * @implNote One selector registration per channel and run, kept while the channel is
     *     open; each wait sets one interest bit, and the wake clears it.
     *
     * @param channel an open channel in non-blocking mode
     * @throws dev.weft.BusyResourceException if another task already waits until
     *     {@code channel} is readable
     * @throws dev.weft.ClosedResourceException if the channel is closed, or is closed through
     *     {@link #notifyClosing} while the task waits
     * @throws java.nio.channels.IllegalBlockingModeException if the channel is in blocking mode
     * @throws dev.weft.Cancelled if the task is cancelled meanwhile
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void waitReadable(SelectableChannel channel) {
        waitIo(channel, IoWaits.Direction.READ, "Lowlevel.waitReadable");
    }

    /**
     * Waits until {@code channel} is writable: a send would take at least one byte, the
     * channel has failed, or (for a {@link java.nio.channels.SocketChannel} with a connection
     * pending) the connection has completed or failed, which {@code finishConnect()} then
     * tells. Trio's {@code wait_writable}. Otherwise as {@link #waitReadable}: always a
     * checkpoint, a cancel point, one waiter per direction.
     *
     * @param channel an open channel in non-blocking mode
     * @throws dev.weft.BusyResourceException if another task already waits until
     *     {@code channel} is writable
     * @throws dev.weft.ClosedResourceException if the channel is closed, or is closed through
     *     {@link #notifyClosing} while the task waits
     * @throws IllegalArgumentException if the channel cannot be written (a pipe's source)
     * @throws java.nio.channels.IllegalBlockingModeException if the channel is in blocking mode
     * @throws dev.weft.Cancelled if the task is cancelled meanwhile
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void waitWritable(SelectableChannel channel) {
        waitIo(channel, IoWaits.Direction.WRITE, "Lowlevel.waitWritable");
    }

    /**
     * Tells the run that {@code channel} is about to be closed: tasks blocked in
     * {@link #waitReadable}/{@link #waitWritable} on it wake with
     * {@link dev.weft.ClosedResourceException}, and its selector registration is dropped.
     * Trio's {@code notify_closing}. Call it right before {@code channel.close()}. Not a
     * checkpoint.
     *
     * @param channel the channel
     * @throws IllegalStateException if called outside a run
     */
    public static void notifyClosing(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        TaskCore task = TaskCore.current("Lowlevel.notifyClosing");
        IoWaits io = task.loop().ioIfOpen();
        if (io == null) {
            return; // no task of this run has waited for I/O, so none waits on this channel
        }
        io.wakeAll(channel, channel + " was closed by task '" + task.name()
                + "' while this task waited on it");
    }

    @Async
    private static void waitIo(SelectableChannel channel, IoWaits.Direction direction, String what) {
        Objects.requireNonNull(channel, "channel");
        TaskCore task = TaskCore.current(what);
        IoWaits io = task.loop().io();
        io.add(channel, direction, task);
        park(cancelled -> {
            io.remove(channel, direction, task);
            return AbortResult.SUCCEEDED;
        });
    }

    /**
     * Returns the token through which other threads call into the current run (Trio's
     * {@code current_trio_token}); see {@link RunToken}. Callable from a task, from a function
     * the run runs for a token, and from a worker thread of the run's
     * {@code Weft.runInThread}, where it gives the token of the run that started the work
     * (Trio's {@code from_thread} finds the run the same way). Not a checkpoint. Every call
     * within one run returns the same token.
     *
     * @return the run's token
     * @throws IllegalStateException if called elsewhere: outside any run, or on a thread the
     *     run did not start
     */
    public static RunToken currentRunToken() {
        // The run on this thread wins over the run whose worker this thread is: a worker may
        // itself call Weft.run, and its tasks must get their own run's token.
        TaskCore task = TaskCore.currentOrNull();
        RunLoop here = task != null ? task.loop() : RunLoop.onThisThread();
        RunLoop loop = here != null ? here : WorkerPool.loopOfCurrentWorker();
        if (loop == null) {
            throw new IllegalStateException("Lowlevel.currentRunToken() was called on thread '"
                    + Thread.currentThread().getName() + "', which is neither running a Weft run nor one of its "
                    + "worker threads: take the token inside the run and hand it to this thread");
        }
        return loop.service(RunToken.class, () -> new RunToken(loop));
    }

    /** The entry of a system task. */
    private static final class SystemEntry implements AsyncCallable<Object> {
        private final AsyncRunnable fn;

        SystemEntry(AsyncRunnable fn) {
            this.fn = fn;
        }

        @Async
        @Override
        public Object call() throws Exception {
            fn.run();
            return null;
        }
    }
}
