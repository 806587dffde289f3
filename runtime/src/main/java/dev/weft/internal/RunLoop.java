package dev.weft.internal;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.CancelReason;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.lowlevel.Clock;
import dev.weft.lowlevel.Instrument;
import dev.weft.lowlevel.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the scheduler: the loop behind {@code Weft.run}, on the calling thread.
 *
 * <h2>Implementation overview</h2>
 * The loop repeats four phases until every task has exited:
 * <ol>
 *   <li><b>Decide how long to wait.</b> Zero if a task is runnable; otherwise until the
 *       earliest deadline (cancel scopes and sleeps, in one {@link DeadlineHeap}), shortened
 *       to the smallest {@code waitAllTasksBlocked} cushion or the clock's autojump
 *       threshold, which arms the matching idle action.
 *   <li><b>Wait</b> for work handed in by other threads (the {@link #inbound} queue) or for I/O
 *       readiness, up to that long, and run the work. A run that has never waited for I/O
 *       parks its thread ({@link LockSupport}); once a task has called
 *       {@code Lowlevel.waitReadable}/{@code waitWritable}, the run has an {@link IoWaits}
 *       (a {@link java.nio.channels.Selector}, opened then and closed at the end of the run),
 *       and waits in its {@code select} instead, which {@link #post} interrupts with
 *       {@code wakeup()}. Channels found ready reschedule their waiting tasks. When tasks are
 *       runnable the wait is a {@code selectNow()}, made only if some task waits for I/O, so
 *       busy runs still see I/O at every batch.
 *   <li><b>Fire deadlines</b> that have passed: a sleeping task is rescheduled, a scope is
 *       cancelled (which aborts the parked tasks inside it). If nothing at all happened and
 *       an idle action was armed, do it: wake the idle waiters with the smallest cushion,
 *       or let the clock jump to the next deadline.
 *   <li><b>Run a batch</b>: every task runnable at this moment, each for one step, in a
 *       seeded random order (or FIFO). Tasks made runnable during the batch wait for the
 *       next one, so a task that yields in a loop cannot starve the others, and the random
 *       order makes hidden assumptions about order fail in tests rather than in production.
 * </ol>
 * A step is one call of the task's continuation: it runs until the task parks (through
 * {@code Lowlevel.park}, the only place a task gives up the thread), yields, returns or
 * throws. A task that parks while its scope is already cancelled is aborted right after
 * its step, so a cancelled task never sleeps. A task whose step returns or throws becomes
 * DONE; its exit hooks ({@code Lowlevel.addTaskExitHook}: a lock it still holds breaks) run
 * next, and only then does its nursery hear of the exit.
 *
 * <p>Everything here runs on the run's thread, except {@link #post}, {@link #interrupt},
 * {@link #dumpTaskTree()} and {@link #service}, which other threads may call.
 *
 * <h2>The end of a run</h2>
 * When no task is left the loop stops, and then, in this order: {@link #post} starts refusing
 * work; work it accepted but the loop never ran is dropped, and each dropped piece that is a
 * {@link PostedWork} is told so (a thread blocked on its answer must not wait forever); then
 * the run's {@linkplain #service services} that are {@link AutoCloseable} are closed, newest
 * first (the worker-thread pool stops its idle threads there). Both happen on the run's
 * thread, in the {@code finally} of {@link #run}, so also when the run fails.
 */
public final class RunLoop implements TaskParent {

    /** The order in which the tasks of a batch run. */
    public enum Order { RANDOM, FIFO }

    private static final ThreadLocal<RunLoop> ON_THIS_THREAD = new ThreadLocal<>();
    private static final Set<RunLoop> ACTIVE = ConcurrentHashMap.newKeySet();

    private final Clock clock;
    private final List<Instrument> instruments;
    private final Random random;
    private final long seed;
    private final boolean recordSpawnSites;
    private final boolean handleInterrupts;

    private final ArrayDeque<TaskCore> runQueue = new ArrayDeque<>();
    /** The batch being shuffled and run, in random order only; FIFO runs straight from {@link #runQueue}. */
    private TaskCore[] batch = new TaskCore[16];
    private final DeadlineHeap deadlines = new DeadlineHeap();
    private final PriorityQueue<IdleWaiter> idleWaiters = new PriorityQueue<>();
    private long idleTiebreak;

    /** Work handed in by other threads. Written by any thread; drained by the run's thread. */
    private final ConcurrentLinkedQueue<Runnable> inbound = new ConcurrentLinkedQueue<>();
    /** Set while the run's thread is parked waiting for {@link #inbound}; read by posters. */
    private volatile boolean waiting;
    /**
     * Set once the loop has ended. Written by the run's thread and read by posters, both under
     * {@link #postLock}. Invariant: nothing is added to {@link #inbound} once it is set, so the
     * final drain sees every piece of work that {@link #post} accepted.
     */
    private boolean finished;
    private final Object postLock = new Object();
    private Thread thread;
    /**
     * The run's I/O waits, or null until a task first waits for I/O. Written once by the run's
     * thread ({@link #io()}), before the {@link #waiting} write of any wait that uses it; read
     * by the run's thread and by posters, which read it after {@code waiting}, so a poster
     * that sees a select in progress sees its selector. Invariant: never goes back to null.
     */
    private volatile IoWaits io;

    /**
     * Per-run services, by type: made on first use by {@link #service}, from any thread.
     * Invariant: each {@link AutoCloseable} one is also on {@link #closeAtEnd}.
     */
    private final ConcurrentHashMap<Class<?>, Object> services = new ConcurrentHashMap<>();
    /** The closeable services, newest first; closed by the run's thread once the loop has ended. */
    private final ConcurrentLinkedDeque<AutoCloseable> closeAtEnd = new ConcurrentLinkedDeque<>();

    private final ScopeCore rootScope = ScopeCore.root(this);
    private final ScopeCore systemScope = ScopeCore.root(this);
    private int liveTasks;
    private long nextTaskId = 1;
    private TaskCore mainTask;
    private TaskCore running;
    private Throwable systemFailure;
    private boolean interrupted;

    /**
     * Creates a run.
     *
     * @param clock the run's clock
     * @param instruments instruments, in call order
     * @param order the order within a batch
     * @param seed the seed of {@link Order#RANDOM}
     * @param recordSpawnSites whether to capture where each task is spawned, for stack traces
     * @param handleInterrupts whether Ctrl+C (SIGINT) interrupts the run
     */
    public RunLoop(Clock clock, List<Instrument> instruments, Order order, long seed, boolean recordSpawnSites,
            boolean handleInterrupts) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.instruments = new ArrayList<>(instruments);
        this.random = order == Order.RANDOM ? new Random(seed) : null;
        this.seed = seed;
        this.recordSpawnSites = recordSpawnSites;
        this.handleInterrupts = handleInterrupts;
    }

    /** Returns the run on this thread, or null. @return the active run */
    public static RunLoop onThisThread() {
        return ON_THIS_THREAD.get();
    }

    /** The seed of the random order. @return the seed */
    public long seed() {
        return seed;
    }

    /** Returns the run's clock. @return the clock */
    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs {@code main} as the main task until every task has exited.
     *
     * @return main's value
     * @throws Exception main's failure, bare; a system task's failure; or, when the run was
     *     interrupted, the cancellation the interrupt caused (the caller turns it into
     *     {@code RunInterruptedException})
     */
    public Object run(AsyncCallable<?> main) throws Throwable {
        if (ON_THIS_THREAD.get() != null || Continuation.isRunningOnThisThread()) {
            throw new IllegalStateException("Weft.run was called inside a run on thread '"
                    + Thread.currentThread().getName() + "': a run cannot be nested. From @Async code, call the "
                    + "function directly; from another thread, use that thread's own run");
        }
        thread = Thread.currentThread();
        ON_THIS_THREAD.set(this);
        ACTIVE.add(this);
        InterruptHandler interrupts = handleInterrupts ? InterruptHandler.install(this) : null;
        try {
            clock.start();
            for (Instrument i : List.copyOf(instruments)) {
                callInstrument(i, "beforeRun", null);
            }
            mainTask = spawn(main, "main", false, this, rootScope, null);
            loop();
            for (Instrument i : List.copyOf(instruments)) {
                callInstrument(i, "afterRun", null);
            }
        } finally {
            synchronized (postLock) {
                finished = true;
            }
            if (interrupts != null) {
                interrupts.uninstall();
            }
            ACTIVE.remove(this);
            ON_THIS_THREAD.remove();
            for (Runnable r; (r = inbound.poll()) != null; ) {
                if (r instanceof DumpRequest d) {
                    d.result.complete("(the run has ended)");
                } else if (r instanceof PostedWork w) {
                    w.dropped();
                }
            }
            closeServices();
            if (io != null) {
                io.close();
            }
        }
        if (systemFailure != null) {
            Throwable mf = mainTask.failure();
            if (mf != null && mf != systemFailure) {
                systemFailure.addSuppressed(mf);
            }
            throw systemFailure;
        }
        Throwable failure = mainTask.failure();
        if (failure instanceof FailureGroup g && rootScope.isEffectivelyCancelled()) {
            // The root scope plays the part of the scope an interrupt cancelled: it takes the
            // Cancelled members out, so a real failure leaves the run without them, and a group
            // of nothing but cancellations leaves as the interrupt's Cancelled.
            FailureGroup rest = Secrets.withoutCancelled(g);
            failure = rest != null ? rest : g.first(Cancelled.class).orElseThrow();
        }
        if (failure != null) {
            throw failure;
        }
        return mainTask.result();
    }

    /** Whether the run was interrupted. @return true after {@link #interrupt} took effect */
    public boolean wasInterrupted() {
        return interrupted;
    }

    private void loop() {
        while (liveTasks > 0) {
            double timeout;
            IdleAction idle = null;
            if (!runQueue.isEmpty()) {
                timeout = 0;
            } else {
                timeout = clock.deadlineToSleepTime(deadlines.nextDeadline());
                IdleWaiter first = idleWaiters.peek();
                if (first != null && first.cushion < timeout) {
                    timeout = first.cushion;
                    idle = IdleAction.WAKE_IDLE_WAITERS;
                }
                double threshold = clock.autojumpThreshold();
                if (threshold < timeout) {
                    timeout = threshold;
                    idle = IdleAction.AUTOJUMP;
                }
            }
            boolean events = waitForInbound(timeout);
            boolean fired = false;
            if (deadlines.size() > 0) {
                // Nothing can be due in an empty heap, so a batch of yields reads no clock.
                double now = clock.currentTime();
                for (Timed t; (t = deadlines.pollDue(now)) != null; ) {
                    t.fire();
                    fired = true;
                }
            }
            if (idle != null && !events && !fired && runQueue.isEmpty()) {
                if (idle == IdleAction.WAKE_IDLE_WAITERS) {
                    double cushion = idleWaiters.peek().cushion;
                    while (!idleWaiters.isEmpty() && idleWaiters.peek().cushion == cushion) {
                        reschedule(idleWaiters.poll().task, null, null);
                    }
                } else {
                    clock.autojump(deadlines.nextDeadline());
                }
            }
            runBatch();
        }
    }

    private enum IdleAction { WAKE_IDLE_WAITERS, AUTOJUMP }

    private void runBatch() {
        int n = runQueue.size();
        if (n == 0) {
            return;
        }
        if (random == null) {
            // FIFO: the batch is the queue's first n tasks, run straight from it; tasks made
            // runnable during the batch queue up behind them, as they would behind the copy.
            for (int i = 0; i < n; i++) {
                step(runQueue.poll());
            }
            return;
        }
        if (batch.length < n) {
            batch = new TaskCore[Math.max(n, batch.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            batch[i] = runQueue.poll();
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                TaskCore t = batch[i];
                batch[i] = batch[j];
                batch[j] = t;
            }
        }
        for (int i = 0; i < n; i++) {
            TaskCore t = batch[i];
            batch[i] = null;
            step(t);
        }
    }

    private void step(TaskCore t) {
        t.state = TaskCore.State.RUNNING;
        running = t;
        if (!instruments.isEmpty()) {
            instrument("beforeTaskStep", t);
        }
        Continuation.Status s;
        try {
            s = t.run();
        } finally {
            running = null;
        }
        if (s == Continuation.Status.DONE) {
            t.state = TaskCore.State.DONE;
            liveTasks--;
            t.detachFromScope();
            // Exit hooks run before the parent hears, so that whatever they wake (the waiters
            // of a lock this task still held) is already runnable when the nursery reacts.
            t.runExitHooks();
            t.parent.childExited(t, t.failure());
        } else if (t.state == TaskCore.State.RUNNING) {
            throw new IllegalStateException("task '" + t.name() + "' suspended without parking: "
                    + "Continuation.suspend() was called directly; blocking operations must use Lowlevel.park");
        } else if (t.state == TaskCore.State.PARKED && t.isCancelled()) {
            t.attemptAbort();
        }
        if (!instruments.isEmpty()) {
            instrument("afterTaskStep", t);
            if (s == Continuation.Status.DONE) {
                instrument("taskExited", t);
            }
        }
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Creates a task and makes it runnable.
     *
     * @param entry its body
     * @param name its name, or null for {@code task-<id>}
     * @param system whether it is a system task
     * @param parent what it belongs to
     * @param scope its innermost cancel scope
     * @param locals the task-local values it inherits
     * @return the task
     */
    public TaskCore spawn(AsyncCallable<?> entry, String name, boolean system, TaskParent parent, ScopeCore scope,
            Object[] locals) {
        return spawn(Objects.requireNonNull(entry, "entry"), null, name, system, parent, scope, locals);
    }

    /**
     * Creates a task whose body returns nothing and makes it runnable; see
     * {@link #spawn(AsyncCallable, String, boolean, TaskParent, ScopeCore, Object[])}.
     */
    public TaskCore spawn(AsyncRunnable body, String name, boolean system, TaskParent parent, ScopeCore scope,
            Object[] locals) {
        return spawn(null, Objects.requireNonNull(body, "body"), name, system, parent, scope, locals);
    }

    private TaskCore spawn(AsyncCallable<?> entry, AsyncRunnable body, String name, boolean system,
            TaskParent parent, ScopeCore scope, Object[] locals) {
        long id = nextTaskId++;
        Throwable site = recordSpawnSites ? new SpawnSite(name == null ? "task-" + id : name) : null;
        TaskCore t = new TaskCore(this, entry, body, name, id, system, parent, scope, locals, site);
        liveTasks++;
        if (!instruments.isEmpty()) {
            instrument("taskSpawned", t);
        }
        t.state = TaskCore.State.PARKED;
        reschedule(t, null, null);
        return t;
    }

    /** Spawns a system task: a child of the run, cancelled when the main task ends. */
    public TaskCore spawnSystem(AsyncCallable<?> entry, String name, Object[] locals) {
        return spawn(entry, name, true, this, systemScope, locals);
    }

    /**
     * Makes a parked task runnable; the value or failure is what its park returns or throws.
     *
     * @throws IllegalStateException if the task is not parked
     */
    public void reschedule(TaskCore t, Object value, Throwable failure) {
        if (t.state != TaskCore.State.PARKED) {
            throw new IllegalStateException("cannot reschedule task '" + t.name() + "': expected PARKED, but was "
                    + t.state + "; a task can be woken once per park");
        }
        t.clearAbort();
        if (failure != null) {
            t.resumeWithFailure(failure);
        } else {
            t.resumeWith(value);
        }
        t.state = TaskCore.State.RUNNABLE;
        runQueue.add(t);
        if (!instruments.isEmpty()) {
            instrument("taskScheduled", t);
        }
    }

    /**
     * Puts the running task {@code t} back at the end of the run queue: a yield. Unlike
     * {@link #reschedule}, there is no park to undo: a running task has no abort callback
     * and no resume value (its last resumption took them).
     */
    void requeue(TaskCore t) {
        t.state = TaskCore.State.RUNNABLE;
        runQueue.add(t);
        if (!instruments.isEmpty()) {
            instrument("taskScheduled", t);
        }
    }

    @Override
    public void childExited(TaskCore child, Throwable failure) {
        if (child == mainTask) {
            systemScope.cancel(new CancelReason(CancelReason.Source.MAIN_EXITED, "system tasks are cancelled", null));
            return;
        }
        if (failure instanceof FailureGroup g && systemScope.isEffectivelyCancelled()) {
            // The system scope plays the part of the cancel scope around the system tasks: it
            // takes out the Cancelled its own cancellation caused, so that none leaves the run
            // beside a real failure (Trio's test_system_task_crash_plus_Cancelled).
            failure = Secrets.withoutCancelled(g);
        }
        if (failure != null && !(failure instanceof Cancelled && systemScope.isEffectivelyCancelled())) {
            if (systemFailure == null) {
                systemFailure = failure;
                rootScope.cancel(new CancelReason(CancelReason.Source.NURSERY,
                        "system task '" + child.name() + "' failed: " + failure, null));
                systemScope.cancel(new CancelReason(CancelReason.Source.NURSERY,
                        "system task '" + child.name() + "' failed: " + failure, null));
            } else if (failure != systemFailure) {
                systemFailure.addSuppressed(failure);
            }
        }
    }

    @Override
    public Nursery nursery() {
        return null;
    }

    /** Returns the main task, or null before it is spawned. @return the main task */
    public TaskCore mainTask() {
        return mainTask;
    }

    // ---------------------------------------------------------------- time

    /** Returns the clock's current time. @return seconds */
    public double now() {
        return clock.currentTime();
    }

    void addTimer(TaskCore t) {
        deadlines.add(t);
    }

    void removeTimer(TaskCore t) {
        deadlines.remove(t);
    }

    void rescheduleDeadline(ScopeCore s) {
        deadlines.remove(s);
        if (s.deadline() != Double.POSITIVE_INFINITY) {
            deadlines.add(s);
        }
    }

    void removeDeadline(ScopeCore s) {
        deadlines.remove(s);
    }

    // ---------------------------------------------------------------- idleness

    /** A task in {@code waitAllTasksBlocked}, ordered by cushion then arrival. */
    private record IdleWaiter(double cushion, long tiebreak, TaskCore task) implements Comparable<IdleWaiter> {
        @Override
        public int compareTo(IdleWaiter o) {
            int c = Double.compare(cushion, o.cushion);
            return c != 0 ? c : Long.compare(tiebreak, o.tiebreak);
        }
    }

    /** Registers {@code t} to be woken when every other task has been blocked for {@code cushion} real seconds. */
    public void addIdleWaiter(TaskCore t, double cushion) {
        idleWaiters.add(new IdleWaiter(cushion, idleTiebreak++, t));
    }

    /** Takes back an idle registration (the waiter was cancelled). */
    public void removeIdleWaiter(TaskCore t) {
        idleWaiters.removeIf(w -> w.task == t);
    }

    // ---------------------------------------------------------------- services

    /**
     * Returns the run's service of type {@code type}, making it with {@code make} on first
     * use: per-run state of a feature that lives outside the scheduler (the worker-thread
     * pool, the default thread limiter, the run's token). Callable from any thread; one
     * instance per type and run. A service that is {@link AutoCloseable} is closed at the end
     * of the run (see the overview); it must not throw from {@code close}, and one that does
     * is reported on {@code System.err}.
     *
     * @param type the service's type, its key
     * @param make makes it; called at most once per run and type
     * @param <T> the type
     * @return the service
     * @throws IllegalStateException if a closeable service would be made after the run ended
     */
    public <T> T service(Class<T> type, java.util.function.Supplier<? extends T> make) {
        Object s = services.get(type);
        if (s == null) {
            s = services.computeIfAbsent(type, k -> {
                T made = Objects.requireNonNull(make.get(), "service");
                if (made instanceof AutoCloseable c) {
                    synchronized (postLock) {
                        if (finished) {
                            throw new IllegalStateException("the run on thread '" + thread.getName()
                                    + "' has ended: cannot start its " + type.getSimpleName());
                        }
                        closeAtEnd.addFirst(c);
                    }
                }
                return made;
            });
        }
        return type.cast(s);
    }

    private void closeServices() {
        for (AutoCloseable c; (c = closeAtEnd.pollFirst()) != null; ) {
            try {
                c.close();
            } catch (Exception | Error e) {
                System.err.println("[weft] run service " + c + " failed to close at the end of the run: " + e);
            }
        }
    }

    // ---------------------------------------------------------------- other threads

    /**
     * Work handed to {@link #post} that must learn when the run ended before running it: a
     * thread waiting for its answer would otherwise wait forever.
     */
    public interface PostedWork extends Runnable {
        /**
         * Called instead of {@link #run()}, on the run's thread as the run ends, if the run
         * accepted the work but no task was left to run it for. Must not throw.
         */
        void dropped();
    }

    /**
     * Hands {@code work} to the run's thread, which runs it between two batches. Callable from
     * any thread.
     *
     * <p>Memory consistency effects: actions in a thread before it posts work happen-before
     * the work runs.
     *
     * @return true if the run was still going and took the work (which then runs, unless the
     *     run ends first because no task is left); false if the run had ended
     */
    public boolean post(Runnable work) {
        // Decided under the lock: reading the flag again after adding (as this once did) said
        // false for work that the run's thread had already taken and run, so an interrupt that
        // took effect reported that no run was active.
        synchronized (postLock) {
            if (finished) {
                return false;
            }
            inbound.add(work);
        }
        if (waiting) {
            IoWaits selecting = io;
            if (selecting != null) {
                selecting.wakeup();
            } else {
                LockSupport.unpark(thread);
            }
        }
        return true;
    }

    /**
     * Returns the run's I/O waits, opening its selector on first use. Run's thread only.
     *
     * @return the I/O waits
     */
    public IoWaits io() {
        IoWaits w = io;
        if (w == null) {
            w = new IoWaits(this);
            io = w;
        }
        return w;
    }

    /**
     * Returns the run's I/O waits, or null if no task has waited for I/O yet. Run's thread only.
     *
     * @return the I/O waits, or null
     */
    public IoWaits ioIfOpen() {
        return io;
    }

    /** Waits for posted work (and I/O, once the run has a selector); runs the work. Returns whether anything happened. */
    private boolean waitForInbound(double timeout) {
        IoWaits selecting = io;
        if (selecting != null) {
            return waitForInboundOrIo(selecting, timeout);
        }
        boolean any = !inbound.isEmpty();
        if (!any && timeout <= 0) {
            return false;
        }
        if (!any) {
            if (!instruments.isEmpty()) {
                instrumentIo("beforeIoWait", timeout);
            }
            long deadline = timeout == Double.POSITIVE_INFINITY ? Long.MAX_VALUE
                    : System.nanoTime() + (long) Math.min(timeout * 1e9, Long.MAX_VALUE / 2.0);
            waiting = true;
            try {
                while (inbound.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    if (deadline == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, left);
                    }
                }
            } finally {
                waiting = false;
            }
            if (!instruments.isEmpty()) {
                instrumentIo("afterIoWait", timeout);
            }
            any = !inbound.isEmpty();
        }
        for (Runnable r; (r = inbound.poll()) != null; ) {
            r.run();
        }
        return any;
    }

    /** {@link #waitForInbound} for a run with a selector: the wait is a {@code select}. */
    private boolean waitForInboundOrIo(IoWaits selecting, double timeout) {
        boolean any = !inbound.isEmpty();
        int woken = 0;
        if (any || timeout <= 0) {
            if (selecting.hasWaiters()) {
                woken = selecting.select(0);
            }
        } else {
            if (!instruments.isEmpty()) {
                instrumentIo("beforeIoWait", timeout);
            }
            long deadline = timeout == Double.POSITIVE_INFINITY ? Long.MAX_VALUE
                    : System.nanoTime() + (long) Math.min(timeout * 1e9, Long.MAX_VALUE / 2.0);
            waiting = true;
            try {
                while (inbound.isEmpty() && woken == 0) {
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    woken = selecting.select(left);
                }
            } finally {
                waiting = false;
            }
            if (!instruments.isEmpty()) {
                instrumentIo("afterIoWait", timeout);
            }
            any = !inbound.isEmpty();
        }
        for (Runnable r; (r = inbound.poll()) != null; ) {
            r.run();
        }
        return any || woken > 0;
    }

    /**
     * Interrupts the run: cancels the main task's tree with an {@code INTERRUPT} reason.
     * Callable from any thread; takes effect at the next checkpoint.
     *
     * @param why the interrupt's description, e.g. "SIGINT"
     * @return false if the run has ended
     */
    public boolean interrupt(String why) {
        return post(() -> {
            interrupted = true;
            rootScope.cancel(new CancelReason(CancelReason.Source.INTERRUPT, why, null));
        });
    }

    // ---------------------------------------------------------------- the task tree

    /**
     * Returns a dump of every active run's task tree. Callable from any thread: it asks each
     * run's thread for a consistent snapshot and waits up to a second for it.
     */
    public static String dumpAll() {
        StringBuilder b = new StringBuilder();
        for (RunLoop loop : ACTIVE) {
            b.append(loop.dumpTaskTree());
        }
        return b.length() == 0 ? "(no Weft run is active)\n" : b.toString();
    }

    /** Returns this run's task tree; see {@link #dumpAll()}. */
    public String dumpTaskTree() {
        if (Thread.currentThread() == thread) {
            return TaskTree.render(this, mainTask, systemTasks());
        }
        DumpRequest request = new DumpRequest(new CompletableFuture<>());
        if (!post(request)) {
            return "(the run has ended)\n";
        }
        try {
            return request.result.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            TaskCore busy = running;
            return "Weft run on thread '" + thread.getName() + "': did not answer within 1 s; task '"
                    + (busy == null ? "?" : busy.name()) + "' is running a step that has not reached a checkpoint\n";
        }
    }

    private final class DumpRequest implements Runnable {
        final CompletableFuture<String> result;

        DumpRequest(CompletableFuture<String> result) {
            this.result = result;
        }

        @Override
        public void run() {
            result.complete(TaskTree.render(RunLoop.this, mainTask, systemTasks()));
        }
    }

    private List<TaskCore> systemTasks() {
        List<TaskCore> out = new ArrayList<>();
        collect(systemScope, out);
        return out;
    }

    private static void collect(ScopeCore s, List<TaskCore> out) {
        for (TaskCore t = s.firstTask; t != null; t = t.scopeNext) {
            if (t.isSystemTask() && t.parent() instanceof RunLoop) {
                out.add(t);
            }
        }
    }

    /** Returns the thread the run is on. @return the thread */
    public Thread thread() {
        return thread;
    }

    // ---------------------------------------------------------------- instruments

    /**
     * Adds an instrument to the running run. Adding one that is already installed changes
     * nothing (as in Trio), so that one {@link #removeInstrument} always takes it out.
     */
    public void addInstrument(Instrument i) {
        Objects.requireNonNull(i, "instrument");
        if (!instruments.contains(i)) {
            instruments.add(i);
        }
    }

    /**
     * Removes an instrument.
     *
     * @throws IllegalArgumentException if it is not installed
     */
    public void removeInstrument(Instrument i) {
        if (!instruments.remove(i)) {
            throw new IllegalArgumentException("instrument " + i + " is not installed in this run");
        }
    }

    private void instrument(String event, Task t) {
        for (Instrument i : instruments.toArray(new Instrument[0])) {
            callInstrument(i, event, t);
        }
    }

    private void instrumentIo(String event, double timeout) {
        for (Instrument i : instruments.toArray(new Instrument[0])) {
            try {
                if (event.equals("beforeIoWait")) {
                    i.beforeIoWait(timeout);
                } else {
                    i.afterIoWait(timeout);
                }
            } catch (RuntimeException | Error e) {
                dropInstrument(i, event, e);
            }
        }
    }

    private void callInstrument(Instrument i, String event, Task t) {
        try {
            switch (event) {
                case "beforeRun" -> i.beforeRun();
                case "afterRun" -> i.afterRun();
                case "taskSpawned" -> i.taskSpawned(t);
                case "taskScheduled" -> i.taskScheduled(t);
                case "beforeTaskStep" -> i.beforeTaskStep(t);
                case "afterTaskStep" -> i.afterTaskStep(t);
                case "taskExited" -> i.taskExited(t);
                default -> throw new AssertionError(event);
            }
        } catch (RuntimeException | Error e) {
            dropInstrument(i, event, e);
        }
    }

    private void dropInstrument(Instrument i, String event, Throwable e) {
        instruments.remove(i);
        System.err.println("[weft] instrument " + i + " threw from " + event + " and was removed: " + e);
    }

    /** The failure a task's spawn site is recorded as, attached to the task's failure. */
    static final class SpawnSite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SpawnSite(String task) {
            super("task '" + task + "' was spawned here");
        }
    }
}
