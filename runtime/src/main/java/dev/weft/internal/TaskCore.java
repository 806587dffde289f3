package dev.weft.internal;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scheduler's record of one task: its continuation (this class extends
 * {@link Continuation}, so woven code's look-up of the current continuation finds the task),
 * where it sits in the nursery and cancel-scope trees, and what it is waiting for.
 *
 * <h2>States</h2>
 * <pre>
 *   RUNNABLE --step--> RUNNING --park--> PARKED --reschedule--> RUNNABLE
 *                         |     \--yield (in the run queue)--> RUNNABLE
 *                         \--returns or throws--> DONE
 * </pre>
 * Only the scheduler thread reads or writes a task's fields.
 *
 * <p>Exit hooks ({@link #addExitHook}) are called once, by {@link RunLoop}, right after the
 * task becomes DONE: the one place where code built on {@code dev.weft.lowlevel} learns that
 * a task has ended (a {@code Lock} whose owner exits breaks).
 */
public final class TaskCore extends Continuation implements Task, Timed, Abort {

    /** Where a task is in its life. */
    public enum State { RUNNABLE, RUNNING, PARKED, DONE }

    final RunLoop loop;
    /**
     * The name given at spawn, or null for the default {@code task-<id>}, which
     * {@link #name()} makes on demand: most tasks are never named nor asked their name, and
     * making the default at spawn would cost every task a string (56 bytes and about 20 ns).
     */
    private final String name;
    private final boolean system;
    private final long id;
    State state = State.RUNNABLE;

    /** The nursery (or the run) the task belongs to. Changes once if started with {@code start}. */
    TaskParent parent;
    /** Intrusive list of the parent's live children. Written by the parent nursery. */
    public TaskCore siblingPrev;
    public TaskCore siblingNext;

    /** The innermost cancel scope the task is in. Invariant: this task is on that scope's task list. */
    ScopeCore scope;
    TaskCore scopePrev;
    TaskCore scopeNext;

    /** What to call if the task is cancelled while parked; null when running, yielding or not abortable. */
    private Abort abort;
    private int schedulePoints;
    private int cancelPoints;

    /** Task-local values, copied on write so children keep the values they inherited. */
    Object[] locals;

    private double timerDeadline;
    private int heapIndex = -1;

    /**
     * Spawn site, eventual parent, open nurseries and exit hooks: made on first use (see
     * {@link TaskExtras}), so a plain task is 16 bytes smaller. Null until then.
     */
    private TaskExtras extras;

    TaskCore(RunLoop loop, AsyncCallable<?> entry, AsyncRunnable body, String name, long id, boolean system,
            TaskParent parent, ScopeCore scope, Object[] locals, Throwable spawnSite) {
        super(entry, body);
        this.loop = loop;
        this.name = name;
        this.id = id;
        this.system = system;
        this.parent = parent;
        this.locals = locals;
        if (spawnSite != null) {
            extras().spawnSite = spawnSite;
        }
        this.scope = scope;
        linkInto(scope);
    }

    /**
     * Returns the task running on this thread.
     *
     * @param what the call that needs it, for the error message
     * @throws IllegalStateException if no task of a run is running on this thread
     */
    public static TaskCore current(String what) {
        Continuation c = Continuation.current();
        if (c instanceof TaskCore t) {
            return t;
        }
        throw outsideRun(what);
    }

    /** Returns the task running on this thread, or null. */
    public static TaskCore currentOrNull() {
        return Continuation.current() instanceof TaskCore t ? t : null;
    }

    static IllegalStateException outsideRun(String what) {
        return new IllegalStateException(what + " was called on thread '" + Thread.currentThread().getName()
                + "', which is not running a Weft task: call it from @Async code inside Weft.run(...)");
    }

    // ---------------------------------------------------------------- Task

    @Override
    public String name() {
        return name != null ? name : "task-" + id;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean isSystemTask() {
        return system;
    }

    @Override
    public Nursery parentNursery() {
        return parent.nursery();
    }

    @Override
    public Nursery eventualParentNursery() {
        return extras == null ? null : extras.eventualParent;
    }

    @Override
    public List<Nursery> childNurseries() {
        ArrayList<Nursery> open = extras == null ? null : extras.childNurseries;
        return open == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(open));
    }

    @Override
    public int schedulePoints() {
        return schedulePoints;
    }

    @Override
    public int cancelPoints() {
        return cancelPoints;
    }

    @Override
    public String stateName() {
        return state.name();
    }

    /**
     * Returns where the task is suspended, as the innermost frame of the user's code, followed
     * by the runtime frames below it: {@code Crawler.fetch(Crawler.java:31) in Weft.sleep}.
     * Null if the task is not suspended or its code records no sites.
     *
     * @return the site, or null
     */
    public String currentSite() {
        List<String> sites = suspendedSites();
        if (sites.isEmpty()) {
            return null;
        }
        List<String> runtime = new ArrayList<>();
        for (String site : sites) {
            if (!isRuntimeSite(site)) {
                return runtime.isEmpty() ? site : site + " in " + runtime.get(runtime.size() - 1);
            }
            runtime.add(site.substring(0, site.indexOf('(')).replace("dev.weft.lowlevel.", "").replace("dev.weft.", ""));
        }
        return sites.get(sites.size() - 1);
    }

    private static boolean isRuntimeSite(String site) {
        if (!site.startsWith("dev.weft.")) {
            return false;
        }
        String rest = site.substring("dev.weft.".length());
        return Character.isUpperCase(rest.charAt(0)) || rest.startsWith("internal.") || rest.startsWith("lowlevel.")
                || rest.startsWith("sync.") || rest.startsWith("channel.") || rest.startsWith("net.")
                || rest.startsWith("testing.");
    }

    public State state() {
        return state;
    }

    public RunLoop loop() {
        return loop;
    }

    public ScopeCore scope() {
        return scope;
    }

    public TaskParent parent() {
        return parent;
    }

    /** Records a nursery opened by this task. */
    public void nurseryOpened(Nursery n) {
        TaskExtras x = extras();
        if (x.childNurseries == null) {
            x.childNurseries = new ArrayList<>(2);
        }
        x.childNurseries.add(n);
    }

    /** Forgets a nursery this task closed. */
    public void nurseryClosed(Nursery n) {
        extras.childNurseries.remove(n);
    }

    private TaskExtras extras() {
        TaskExtras x = extras;
        if (x == null) {
            x = extras = new TaskExtras();
        }
        return x;
    }

    /** Returns the task-local values (shared, copied on write). @return the values */
    public Object[] locals() {
        return locals;
    }

    /** Replaces the task-local values. @param values the new values */
    public void locals(Object[] values) {
        locals = values;
    }

    /** Returns where the task was spawned, or null. @return the spawn site */
    public Throwable spawnSite() {
        return extras == null ? null : extras.spawnSite;
    }

    /** Records the nursery a task being started will move into. @param n the nursery */
    public void setEventualParent(Nursery n) {
        extras().eventualParent = n;
    }

    /**
     * Moves the task's scopes from under {@code from} to under {@code to}: the task's
     * outermost own scope (or the task itself, if it has none) changes parent.
     */
    public void transferScopes(ScopeCore from, ScopeCore to) {
        if (scope == from) {
            moveTo(to);
            if (to.isEffectivelyCancelled()) {
                attemptAbort();
            }
            return;
        }
        ScopeCore s = scope;
        while (s.parent() != from) {
            s = s.parent();
            if (s == null) {
                throw new IllegalStateException("task '" + name() + "' is not inside " + from.describe());
            }
        }
        s.reparent(to);
    }

    /** Moves the task under another parent: a task started with {@code start} calling {@code started}. */
    public void reparent(TaskParent newParent) {
        parent = newParent;
        if (extras != null) {
            extras.eventualParent = null;
        }
    }

    // ---------------------------------------------------------------- counters

    /** Counts a schedule point that did not park (a yield). */
    public void countSchedulePoint() {
        schedulePoints++;
    }

    /** Counts a cancel point. */
    public void countCancelPoint() {
        cancelPoints++;
    }

    /** Whether the task's innermost scope is effectively cancelled (or the run is interrupted). */
    public boolean isCancelled() {
        return scope.isEffectivelyCancelled();
    }

    /** A new {@link Cancelled} for this task, carrying its scope's reason. */
    public Cancelled newCancelled() {
        return scope.newCancelled(this);
    }

    // ---------------------------------------------------------------- parking

    /**
     * Marks the task parked: called by {@code Lowlevel.park} just before it suspends. A park
     * is a schedule point, and a cancel point when it can be aborted.
     */
    public void beginPark(Abort onCancel) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("task '" + name() + "' cannot park: expected RUNNING, but was " + state);
        }
        state = State.PARKED;
        abort = onCancel;
        schedulePoints++;
        if (onCancel != Abort.NEVER) {
            cancelPoints++;
        }
    }

    /** Puts the running task straight back in the run queue: the suspension of a yield. */
    public void beginYield() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("task '" + name() + "' cannot yield: expected RUNNING, but was " + state);
        }
        schedulePoints++;
        loop.requeue(this);
    }

    /** Delivers a pending cancellation to a parked task whose wait can be aborted. */
    void attemptAbort() {
        Abort a = abort;
        if (state != State.PARKED || a == null || a == Abort.NEVER || !scope.isEffectivelyCancelled()) {
            return;
        }
        abort = null;
        Cancelled c = newCancelled();
        AbortResult r = a.abort(c);
        if (r == AbortResult.SUCCEEDED && state == State.PARKED) {
            loop.reschedule(this, null, c);
        }
    }

    /** Clears the abort callback when the task is woken. */
    void clearAbort() {
        abort = null;
    }

    // ---------------------------------------------------------------- exit hooks

    /**
     * Adds a hook to call when the task exits; the same hook may be added more than once.
     * Allocation-free once the task has room for its hooks.
     *
     * @throws IllegalStateException if the task has exited
     */
    @SuppressWarnings("unchecked")
    public void addExitHook(Consumer<? super Task> hook) {
        if (state == State.DONE) {
            throw new IllegalStateException("cannot add an exit hook to task '" + name()
                    + "': expected a live task, but was DONE (it has already exited)");
        }
        TaskExtras x = extras();
        if (x.exitHooks == null) {
            x.exitHooks = (Consumer<? super Task>[]) new Consumer<?>[4];
        } else if (x.exitHookCount == x.exitHooks.length) {
            x.exitHooks = Arrays.copyOf(x.exitHooks, x.exitHookCount * 2);
        }
        x.exitHooks[x.exitHookCount++] = hook;
    }

    /**
     * Removes the most recently added occurrence of {@code hook} (compared by identity), so
     * that nested registrations released in reverse order cost O(1).
     *
     * @return false if the hook was not registered
     */
    public boolean removeExitHook(Consumer<? super Task> hook) {
        TaskExtras x = extras;
        if (x == null) {
            return false;
        }
        for (int i = x.exitHookCount - 1; i >= 0; i--) {
            if (x.exitHooks[i] == hook) {
                System.arraycopy(x.exitHooks, i + 1, x.exitHooks, i, x.exitHookCount - i - 1);
                x.exitHooks[--x.exitHookCount] = null;
                return true;
            }
        }
        return false;
    }

    /**
     * Calls the exit hooks, oldest first, and forgets them: called once by the run loop when
     * the task has become DONE, before its parent hears of the exit. A hook that throws ends
     * the run (the exception leaves {@code Weft.run}), as any other broken scheduler
     * invariant does: the state the hook was guarding is unknown from then on.
     */
    void runExitHooks() {
        TaskExtras x = extras;
        if (x == null || x.exitHookCount == 0) {
            return;
        }
        Consumer<? super Task>[] hooks = x.exitHooks;
        int n = x.exitHookCount;
        x.exitHooks = null;
        x.exitHookCount = 0;
        for (int i = 0; i < n; i++) {
            hooks[i].accept(this);
        }
    }

    // ---------------------------------------------------------------- sleeping (Timed, Abort)

    /** Registers the task to be woken at {@code deadline}; its park must use this task as the abort. */
    public void sleepUntil(double deadline) {
        timerDeadline = deadline;
        loop.addTimer(this);
    }

    @Override
    public double deadline() {
        return timerDeadline;
    }

    @Override
    public int heapIndex() {
        return heapIndex;
    }

    @Override
    public void heapIndex(int index) {
        heapIndex = index;
    }

    @Override
    public void fire() {
        loop.reschedule(this, null, null);
    }

    /** The abort of a sleep: take the timer back. */
    @Override
    public AbortResult abort(Cancelled cancelled) {
        loop.removeTimer(this);
        return AbortResult.SUCCEEDED;
    }

    // ---------------------------------------------------------------- scope list

    private void linkInto(ScopeCore s) {
        scopePrev = null;
        scopeNext = s.firstTask;
        if (scopeNext != null) {
            scopeNext.scopePrev = this;
        }
        s.firstTask = this;
    }

    private void unlinkFromScope() {
        if (scopePrev != null) {
            scopePrev.scopeNext = scopeNext;
        } else {
            scope.firstTask = scopeNext;
        }
        if (scopeNext != null) {
            scopeNext.scopePrev = scopePrev;
        }
        scopePrev = scopeNext = null;
    }

    /** Makes {@code s} the task's innermost scope. */
    void moveTo(ScopeCore s) {
        unlinkFromScope();
        scope = s;
        linkInto(s);
    }

    /** Leaves the scope tree: the task has exited. */
    void detachFromScope() {
        unlinkFromScope();
    }

    @Override
    public String toString() {
        return "Task[" + name() + ", " + state + "]";
    }
}
