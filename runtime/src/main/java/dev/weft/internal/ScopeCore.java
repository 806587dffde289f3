package dev.weft.internal;

import dev.weft.CancelReason;
import dev.weft.Cancelled;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one cancel scope and its node in the run's cancel-status tree: the part of
 * {@link dev.weft.CancelScope} the scheduler works with.
 *
 * <h2>The tree</h2>
 * Each entered scope is a node; its parent is the scope that enclosed the entering task (for
 * a nursery's children, the nursery's own scope). Each task points at its innermost node
 * ({@link TaskCore#scope}), and each node lists the tasks that point at it. A node is
 * <em>effectively cancelled</em> when its scope's cancel was called, or when its parent is
 * effectively cancelled and the scope is not shielded. Any change that can alter that
 * (cancel, shield, a new parent) recomputes it down the subtree, and every parked task
 * that becomes effectively cancelled is aborted at once.
 *
 * <h2>States</h2>
 * <pre>
 *   UNENTERED --enter--> ENTERED --exit--> EXITED
 * </pre>
 * A scope is entered once. A relative timeout is turned into a deadline on entry.
 *
 * <p>Used by the scheduler thread only.
 */
public final class ScopeCore implements Timed {

    /** Where a scope is in its life. */
    public enum State { UNENTERED, ENTERED, EXITED }

    // Written by the scope's owner through the public API, read by the scheduler.
    private double deadline = Double.POSITIVE_INFINITY;
    /** A relative timeout in seconds, or NaN; becomes {@link #deadline} on entry. */
    private double relativeTimeout = Double.NaN;
    private boolean shield;
    private CancelReason reason;
    private boolean cancelledCaught;
    private State state = State.UNENTERED;

    // The tree. Invariant: parent, children and tasks are set only while ENTERED.
    private RunLoop loop;
    private ScopeCore parent;
    private final List<ScopeCore> children = new ArrayList<>(0);
    /** Head of the intrusive list of tasks whose innermost scope this is (TaskCore.scopeNext). */
    TaskCore firstTask;
    private boolean effectivelyCancelled;
    private TaskCore owner;
    private int heapIndex = -1;

    /** The root of a run's tree: never exited, owned by the run loop. */
    static ScopeCore root(RunLoop loop) {
        ScopeCore s = new ScopeCore();
        s.loop = loop;
        s.state = State.ENTERED;
        return s;
    }

    // ---------------------------------------------------------------- the public view's state

    public double deadline() {
        return deadline;
    }

    public double relativeTimeout() {
        return relativeTimeout;
    }

    public boolean shield() {
        return shield;
    }

    public boolean cancelCalled() {
        return reason != null;
    }

    public CancelReason reason() {
        return reason;
    }

    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    public State state() {
        return state;
    }

    public TaskCore owner() {
        return owner;
    }

    /** Sets the absolute deadline; takes effect at once if entered. */
    public void setDeadline(double d) {
        deadline = d;
        relativeTimeout = Double.NaN;
        if (state == State.ENTERED) {
            loop.rescheduleDeadline(this);
        }
    }

    /** Sets a relative timeout, counted from entry. Only before entry. */
    public void setRelativeTimeout(double seconds) {
        relativeTimeout = seconds;
    }

    /** Sets the shield; recomputes the subtree and aborts newly cancelled waits. */
    public void setShield(boolean on) {
        shield = on;
        if (state == State.ENTERED) {
            recalculate();
        }
    }

    /**
     * Cancels the scope: the first reason stays. Takes effect at once for parked tasks and at
     * the next checkpoint for the running one; on an exited scope only records the call.
     */
    public void cancel(CancelReason why) {
        if (reason != null) {
            return;
        }
        reason = why;
        if (state == State.ENTERED) {
            loop.removeDeadline(this);
            recalculate();
        }
    }

    // ---------------------------------------------------------------- entering and exiting

    /**
     * Enters the scope on {@code task}: it becomes the task's innermost scope.
     *
     * @throws IllegalStateException if the scope was entered before
     */
    public void enter(TaskCore task, String what) {
        if (state != State.UNENTERED) {
            throw new IllegalStateException(what + ": a cancel scope can be entered only once, but this one is "
                    + state + " (" + describe() + "); create a new CancelScope for each use");
        }
        loop = task.loop;
        owner = task;
        state = State.ENTERED;
        if (!Double.isNaN(relativeTimeout)) {
            deadline = loop.now() + relativeTimeout;
        }
        if (reason == null && deadline <= loop.now()) {
            // A deadline that has already passed cancels on entry, as in Trio, rather than at the
            // run loop's next pass: checkpointIfCancelled() and cancelCalled() see it at once.
            reason = deadlineReason();
        }
        attach(task.scope);
        task.moveTo(this);
        if (reason == null && deadline != Double.POSITIVE_INFINITY) {
            loop.rescheduleDeadline(this);
        }
    }

    /**
     * Enters the scope as a child of {@code parentScope} without a task in it: the scope of a
     * nursery, whose children join it as they are spawned.
     */
    void attach(ScopeCore parentScope) {
        parent = parentScope;
        parentScope.children.add(this);
        effectivelyCancelled = computeCancelled();
    }

    /**
     * Exits the scope: {@code task} goes back to the parent scope. Does not decide what
     * propagates; see {@link #catches(Throwable)}.
     *
     * @throws IllegalStateException if {@code task} is not inside this scope as its innermost
     *     scope
     */
    public void exit(TaskCore task) {
        if (state != State.ENTERED || task.scope != this) {
            throw misnested(task);
        }
        loop.removeDeadline(this);
        task.moveTo(parent);
        if (firstTask != null) {
            throw new IllegalStateException("cancel scope " + describe() + " exited while task '" + firstTask.name()
                    + "' is still inside it");
        }
        parent.children.remove(this);
        state = State.EXITED;
    }

    private IllegalStateException misnested(TaskCore task) {
        String where = task.scope == null ? "no scope" : task.scope.describe();
        return new IllegalStateException("cancel scope " + describe() + " exited by task '" + task.name()
                + "', whose innermost scope is " + where + ". Scopes must nest: exit the innermost first, on the "
                + "task that entered it (" + (owner == null ? "none" : "'" + owner.name() + "'") + "). Likely causes: "
                + "a scope entered in one task and exited in another, or a scope left open by a body that escaped");
    }

    /**
     * Whether this scope catches a {@link Cancelled} that reaches its end: it does when it is
     * effectively cancelled and its parent's cancellation is not visible to it (the outermost
     * cancelled scope catches). Call {@link #markCancelledCaught()} when it does.
     */
    public boolean canCatchCancelled() {
        return effectivelyCancelled && !(parent != null && !shield && parent.effectivelyCancelled);
    }

    /** Marks that this scope caught a cancellation (a nursery scope stripping a group). */
    public void markCancelledCaught() {
        cancelledCaught = true;
    }

    // ---------------------------------------------------------------- cancellation

    public boolean isEffectivelyCancelled() {
        return effectivelyCancelled;
    }

    private boolean computeCancelled() {
        return reason != null || (!shield && parent != null && parent.effectivelyCancelled);
    }

    private void recalculate() {
        boolean now = computeCancelled();
        if (now == effectivelyCancelled) {
            return;
        }
        effectivelyCancelled = now;
        if (now) {
            for (TaskCore t = firstTask; t != null; ) {
                TaskCore next = t.scopeNext;
                t.attemptAbort();
                t = next;
            }
        }
        for (int i = 0; i < children.size(); i++) {
            children.get(i).recalculate();
        }
    }

    /**
     * Creates the {@link Cancelled} a task inside this scope gets: it carries the reason of
     * the outermost effectively cancelled scope, whose cancellation it is.
     */
    public Cancelled newCancelled(TaskCore task) {
        ScopeCore s = this;
        while (s.parent != null && !s.shield && s.parent.effectivelyCancelled) {
            s = s.parent;
        }
        CancelReason why = s.reason;
        if (why == null) {
            why = new CancelReason(CancelReason.Source.EXPLICIT, "unknown", null);
        }
        return Secrets.newCancelled(why, task == null ? null : task.name());
    }

    /**
     * The earliest deadline in effect here: the minimum over this scope and its ancestors up
     * to the first shield; negative infinity if effectively cancelled.
     */
    public double effectiveDeadline() {
        if (effectivelyCancelled) {
            return Double.NEGATIVE_INFINITY;
        }
        double d = Double.POSITIVE_INFINITY;
        for (ScopeCore s = this; s != null; s = s.parent) {
            d = Math.min(d, s.deadline);
            if (s.shield) {
                break;
            }
        }
        return d;
    }

    ScopeCore parent() {
        return parent;
    }

    /** Moves this scope under another parent (a task started with {@code start} moving nursery). */
    void reparent(ScopeCore newParent) {
        parent.children.remove(this);
        attach(newParent);
        recalculate();
        if (effectivelyCancelled) {
            for (TaskCore t = firstTask; t != null; t = t.scopeNext) {
                t.attemptAbort();
            }
        }
    }

    /** Recomputes after a task joined with a possibly pending cancellation. */
    void refresh() {
        recalculate();
    }

    // ---------------------------------------------------------------- Timed

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
        cancel(deadlineReason());
    }

    /**
     * Cancels the scope if it is not exited and its deadline is at or before {@code now}, without
     * waiting for the run loop to fire it: Trio's {@code cancel_called} does this, so that a
     * scope whose deadline has passed reports itself cancelled, entered or not.
     */
    public void cancelIfDeadlinePassed(double now) {
        if (reason == null && state != State.EXITED && deadline <= now) {
            fire();
        }
    }

    private CancelReason deadlineReason() {
        return new CancelReason(CancelReason.Source.DEADLINE, "deadline " + formatTime(deadline) + " passed", null);
    }

    /** A short description for messages: {@code CancelScope[deadline=1.5s, cancelled]}. */
    public String describe() {
        StringBuilder b = new StringBuilder("CancelScope[");
        if (!Double.isNaN(relativeTimeout) && state == State.UNENTERED) {
            b.append("timeout=").append(formatTime(relativeTimeout));
        } else {
            b.append("deadline=").append(formatTime(deadline));
        }
        if (shield) {
            b.append(", shielded");
        }
        if (reason != null) {
            b.append(", cancelled");
        }
        b.append(", ").append(state.name().toLowerCase(java.util.Locale.ROOT)).append(']');
        return b.toString();
    }

    static String formatTime(double t) {
        if (t == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (t == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return (Math.rint(t * 1e6) / 1e6) + "s";
    }
}
