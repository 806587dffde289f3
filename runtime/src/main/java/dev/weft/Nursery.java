package dev.weft;

import dev.weft.annotation.Async;
import dev.weft.internal.ScopeCore;
import dev.weft.internal.Sneaky;
import dev.weft.internal.TaskCore;
import dev.weft.internal.TaskParent;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A place where tasks run concurrently, which does not end until all of them have: Trio's
 * nursery.
 *
 * <p>A nursery is opened with a block, which starts children in it:
 * {@snippet :
 * Nursery.open(n -> {
 *     n.startSoon(() -> fetch("a"));
 *     n.startSoon(() -> fetch("b"));
 * });
 * // both fetches have ended here
 * }
 * {@link #open} returns only when the block and every child have ended. If any of them
 * fails, the nursery cancels the rest (its own {@link #cancelScope()}), waits for them to
 * end, and throws a {@link FailureGroup} holding every failure: none is lost, and no task
 * outlives the nursery. The block and the children run inside the nursery's cancel scope,
 * so cancelling it (or an enclosing scope) cancels them all.
 *
 * <h2>Why a block, and no try-with-resources form</h2>
 * A nursery must know whether its block failed (to cancel the children) and must be able
 * to swallow the {@link Cancelled} its own scope caused; {@code close()} can do neither, so
 * Weft offers no {@code AutoCloseable} nursery rather than one that loses failures.
 *
 * <h2>States</h2>
 * <pre>
 *   OPEN (block running) --block ends--> CLOSING (waiting for children) --last child ends--> CLOSED
 * </pre>
 * {@link #startSoon} and {@link #start} work while OPEN or CLOSING (a child may start
 * siblings while the nursery waits), and throw {@link IllegalStateException} once CLOSED.
 *
 * <p>A nursery's methods must be called on the run's thread.
 */
public final class Nursery {

    /** Where a nursery is in its life. */
    public enum State {
        /** The block is running. */
        OPEN,
        /** The block has ended; the nursery waits for its children. */
        CLOSING,
        /** The block and every child have ended. */
        CLOSED
    }

    private final TaskCore owner;
    private final CancelScope scope = new CancelScope();
    private final Children children = new Children();
    private final Abort ownerAbort = this::ownerCancelled;
    private State state = State.OPEN;
    private int liveChildren;
    private TaskCore firstChild;
    private List<Throwable> failures;
    /** True while the owner is parked in CLOSING, waiting for the last child. */
    private boolean ownerWaiting;

    private Nursery(TaskCore owner) {
        this.owner = owner;
    }

    /**
     * Opens a nursery, runs {@code body} in it, and waits for every child to end. A schedule
     * point when children remain after the block (the task waits for them), but not a cancel
     * point of its own: a cancellation reaches the caller only through what the block and the
     * children throw.
     *
     * @param body the block; usually starts children
     * @throws FailureGroup if the block or any child failed, holding every failure
     * @throws Cancelled if an enclosing scope was cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void open(NurseryBody body) {
        Objects.requireNonNull(body, "body");
        call(n -> {
            body.run(n);
            return null;
        });
    }

    /**
     * Like {@link #open}, for a block that returns a value: returns it once every child has
     * ended.
     *
     * @param body the block
     * @param <T> the value's type
     * @return the block's value
     * @throws FailureGroup if the block or any child failed, holding every failure
     * @throws Cancelled if an enclosing scope was cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <T> T call(NurseryFunction<T> body) {
        Objects.requireNonNull(body, "body");
        TaskCore task = TaskCore.current("Nursery.open");
        Nursery n = new Nursery(task);
        n.scope.core().enter(task, "Nursery.open");
        task.nurseryOpened(n);
        T value = null;
        try {
            value = body.apply(n);
        } catch (Throwable t) {
            n.addFailure(t, null);
        }
        n.state = State.CLOSING;
        while (n.liveChildren > 0) {
            n.ownerWaiting = true;
            Lowlevel.park(n.ownerAbort);
        }
        n.state = State.CLOSED;
        task.nurseryClosed(n);
        n.scope.core().exit(task);
        Throwable out = n.failures == null ? null
                : CancelScope.absorb(n.scope.core(), new FailureGroup(n.describe(), n.failures));
        if (out instanceof FailureGroup g && g.allMatch(Cancelled.class)) {
            out = g.first(Cancelled.class).orElseThrow();
        }
        if (out != null) {
            throw Sneaky.rethrow(out);
        }
        return value;
    }

    /**
     * The abort of the owner's wait for its children. The children are in the cancelled scope
     * too, so they report their own {@code Cancelled} if they see it; the owner's wait adds
     * none, or a nursery whose children all returned would throw a {@code Cancelled} that no
     * task raised (python-trio/trio#1457). The wait goes on until the last child ends.
     */
    private AbortResult ownerCancelled(Cancelled cancelled) {
        return AbortResult.FAILED;
    }

    private void addFailure(Throwable t, TaskCore child) {
        if (failures == null) {
            failures = new ArrayList<>(2);
        }
        failures.add(t);
        scope.cancelForNursery(child == null ? "the block of " + describe() + " threw " + t
                : "task '" + child.name() + "' threw " + t);
    }

    // ---------------------------------------------------------------- starting children

    /**
     * Starts {@code fn} as a child task, named {@code task-<id>}. Not a checkpoint: the child
     * runs once the calling task reaches one.
     *
     * @param fn the child's body
     * @throws IllegalStateException if the nursery is closed, or if called off the run's
     *     thread
     */
    public void startSoon(AsyncRunnable fn) {
        startSoon(null, fn);
    }

    /**
     * Starts {@code fn} as a child task with a name, for task dumps and messages. Not a
     * checkpoint.
     *
     * @param name the task's name, or null for {@code task-<id>}
     * @param fn the child's body
     * @throws IllegalStateException if the nursery is closed, or if called off the run's
     *     thread
     */
    public void startSoon(String name, AsyncRunnable fn) {
        Objects.requireNonNull(fn, "fn");
        checkCanStart("startSoon");
        adopt(owner.loop().spawn(fn, name, false, children, scope.core(), localsForChild()));
    }

    /**
     * Starts {@code fn} as a child and waits until it calls {@link TaskStatus#started},
     * returning the value it passes. Until then the child runs under the calling task
     * (a failure reaches the caller bare, and cancelling the caller cancels it); then it
     * moves into this nursery. A checkpoint.
     *
     * @param fn the child's body; must call {@code status.started(...)} once
     * @param <T> the type of the started value
     * @return the value passed to {@code started}
     * @throws IllegalStateException if the nursery is closed, or if {@code fn} returned
     *     without calling {@code started}
     */
    @Async
    public <T> T start(TaskStarter<T> fn) throws Exception {
        return start(null, fn);
    }

    /**
     * Like {@link #start(TaskStarter)}, naming the task.
     *
     * @param name the task's name, or null
     * @param fn the child's body
     * @param <T> the type of the started value
     * @return the value passed to {@code started}
     * @throws Exception what {@code fn} threw before calling {@code started}, bare
     * @throws IllegalStateException if the nursery is closed, or if {@code fn} returned
     *     without calling {@code started}
     */
    @Async
    public <T> T start(String name, TaskStarter<T> fn) throws Exception {
        Objects.requireNonNull(fn, "fn");
        checkCanStart("start");
        TaskCore caller = TaskCore.current("Nursery.start");
        TaskStatus<T> status = new TaskStatus<>(this);
        Object[] locals = localsForChild();
        try {
            open(temporary -> status.begin(temporary,
                    temporary.spawnChild(new StarterEntry<>(fn, status), name, locals)));
        } catch (FailureGroup g) {
            if (g.failures().size() == 1) {
                throw Sneaky.rethrow(g.failures().get(0));
            }
            throw g;
        }
        if (!status.isStarted()) {
            throw new IllegalStateException("task '" + status.taskName() + "' started with Nursery.start by task '"
                    + caller.name() + "' returned without calling status.started(...): call it once the task is ready");
        }
        return status.value();
    }

    private void checkCanStart(String what) {
        if (Thread.currentThread() != owner.loop().thread()) {
            throw new IllegalStateException("Nursery." + what + " was called on thread '"
                    + Thread.currentThread().getName() + "', not the run's thread '" + owner.loop().thread().getName()
                    + "': use a token from the run to call in from other threads");
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("Nursery." + what + ": " + describe() + " is closed (its block and every "
                    + "child have ended); start tasks in a nursery that is still open");
        }
    }

    private Object[] localsForChild() {
        TaskCore current = TaskCore.currentOrNull();
        return current != null && current.loop() == owner.loop() ? current.locals() : owner.locals();
    }

    TaskCore spawnChild(dev.weft.AsyncCallable<?> entry, String name, Object[] locals) {
        TaskCore t = owner.loop().spawn(entry, name, false, children, scope.core(), locals);
        adopt(t);
        return t;
    }

    void adopt(TaskCore t) {
        t.siblingPrev = null;
        t.siblingNext = firstChild;
        if (firstChild != null) {
            firstChild.siblingPrev = t;
        }
        firstChild = t;
        liveChildren++;
    }

    void release(TaskCore t) {
        if (t.siblingPrev != null) {
            t.siblingPrev.siblingNext = t.siblingNext;
        } else {
            firstChild = t.siblingNext;
        }
        if (t.siblingNext != null) {
            t.siblingNext.siblingPrev = t.siblingPrev;
        }
        t.siblingPrev = t.siblingNext = null;
        liveChildren--;
        if (liveChildren == 0 && ownerWaiting) {
            ownerWaiting = false;
            owner.loop().reschedule(owner, null, null);
        }
    }

    TaskParent asParent() {
        return children;
    }

    ScopeCore scopeCore() {
        return scope.core();
    }

    State stateForStart() {
        return state;
    }

    /** The nursery's side of its children's exits. */
    private final class Children implements TaskParent {
        @Override
        public void childExited(TaskCore child, Throwable failure) {
            if (failure != null) {
                if (child.spawnSite() != null && !(failure instanceof Cancelled) && failure != child.spawnSite()) {
                    failure.addSuppressed(child.spawnSite());
                }
                addFailure(failure, child);
            }
            release(child);
        }

        @Override
        public Nursery nursery() {
            return Nursery.this;
        }
    }

    // ---------------------------------------------------------------- views

    /**
     * Returns the nursery's cancel scope: cancelling it cancels the block and every child.
     *
     * @return the scope
     */
    public CancelScope cancelScope() {
        return scope;
    }

    /** Returns where the nursery is in its life. @return the state */
    public State state() {
        return state;
    }

    /** Returns the task that opened the nursery. @return the task */
    public Task parentTask() {
        return owner;
    }

    /** Returns the children that have not yet ended. @return a snapshot, newest first */
    public List<Task> childTasks() {
        List<Task> out = new ArrayList<>(liveChildren);
        for (TaskCore t = firstChild; t != null; t = t.siblingNext) {
            out.add(t);
        }
        return out;
    }

    private String describe() {
        return "the nursery of task '" + owner.name() + "'";
    }

    @Override
    public String toString() {
        return "Nursery[task '" + owner.name() + "', " + state + ", " + liveChildren + " children]";
    }
}
