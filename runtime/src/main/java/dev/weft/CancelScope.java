package dev.weft;

import dev.weft.annotation.Async;
import dev.weft.internal.ScopeCore;
import dev.weft.internal.Sneaky;
import dev.weft.internal.TaskCore;
import java.time.Duration;
import java.util.Objects;

/**
 * A region of code that can be cancelled as a unit, by a call or a deadline: Trio's
 * {@code CancelScope}.
 *
 * <p>A scope takes its body as a lambda: {@link #run} and {@link #call} enter the scope, run
 * the body, and exit. While the scope is cancelled, every checkpoint inside it (in the body
 * and in any task of a nursery opened inside it) throws {@link Cancelled}; the
 * {@code Cancelled} unwinds to the scope, which catches it, so the call returns normally
 * (with null from {@link #call}) and {@link #cancelledCaught()} tells what happened.
 * {@snippet :
 * CancelScope.moveOnAfter(Duration.ofSeconds(5)).run(() -> {
 *     download(url);        // gives up at the first checkpoint after 5 s
 * });
 * }
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Level-triggered.</b> Once cancelled, a scope stays cancelled: catching a
 *       {@code Cancelled} and carrying on just gets another at the next checkpoint.
 *   <li><b>Nesting.</b> Cancelling a scope cancels everything inside it. When several
 *       enclosing scopes are cancelled, the outermost one catches the {@code Cancelled}.
 *   <li><b>Shield.</b> A shielded scope ({@link #setShield}) does not see the cancellation of
 *       the scopes around it; its own cancel and deadline still apply. Changing the shield
 *       takes effect at once, also for tasks blocked inside.
 *   <li><b>Deadlines</b> are absolute times on the run's clock ({@link Weft#currentTime()}),
 *       can be changed while the scope is in effect, and fire only while the scope is
 *       entered: an exited scope never fires. {@link #withTimeout} and {@link #moveOnAfter}
 *       give a relative deadline, counted from entering the scope.
 *   <li><b>Once.</b> A scope is entered once; {@code run} or {@code call} on a scope that was
 *       entered before throws {@link IllegalStateException}.
 * </ul>
 *
 * <h2>States</h2>
 * <table class="striped">
 *   <caption>What a scope answers in each state</caption>
 *   <thead><tr><th>State</th><th>{@link #deadline()}</th><th>{@link #cancelCalled()}</th>
 *     <th>{@link #cancelledCaught()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>new, absolute deadline</td><td>the deadline</td><td>false unless {@code cancel} was called</td><td>false</td></tr>
 *   <tr><td>new, relative deadline</td><td>throws {@code IllegalStateException}</td><td>as above</td><td>false</td></tr>
 *   <tr><td>entered</td><td>the deadline</td><td>true once cancelled</td><td>false</td></tr>
 *   <tr><td>exited</td><td>the deadline</td><td>true once cancelled</td><td>whether it caught a {@code Cancelled}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>A scope's methods are not checkpoints, and must be called on the run's thread.
 */
public final class CancelScope {

    private final ScopeCore core = new ScopeCore();
    private final boolean failOnDeadline;

    /** Creates a scope with no deadline, entered by {@link #run} or {@link #call}. */
    public CancelScope() {
        this(false);
    }

    private CancelScope(boolean failOnDeadline) {
        this.failOnDeadline = failOnDeadline;
    }

    /**
     * Creates a scope that is cancelled when the clock reaches {@code deadline}.
     *
     * @param deadline an absolute time, in seconds on the run's clock (may be infinite)
     * @return a new scope
     * @throws IllegalArgumentException if {@code deadline} is NaN
     */
    public static CancelScope withDeadline(double deadline) {
        CancelScope s = new CancelScope(false);
        s.setDeadline(deadline);
        return s;
    }

    /**
     * Creates a scope that is cancelled {@code timeout} after it is entered.
     *
     * @param timeout how long the body may run
     * @return a new scope
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static CancelScope withTimeout(Duration timeout) {
        CancelScope s = new CancelScope(false);
        s.core.setRelativeTimeout(seconds(timeout));
        return s;
    }

    /** The same as {@link #withDeadline(double)}: Trio's {@code move_on_at}. @param deadline the deadline @return a new scope */
    public static CancelScope moveOnAt(double deadline) {
        return withDeadline(deadline);
    }

    /** The same as {@link #withTimeout(Duration)}: Trio's {@code move_on_after}. @param timeout the timeout @return a new scope */
    public static CancelScope moveOnAfter(Duration timeout) {
        return withTimeout(timeout);
    }

    /**
     * Creates a scope that throws {@link TooSlowException} from {@link #run} or
     * {@link #call} if its deadline cancels it.
     *
     * @param deadline an absolute time on the run's clock
     * @return a new scope
     */
    public static CancelScope failAt(double deadline) {
        CancelScope s = new CancelScope(true);
        s.setDeadline(deadline);
        return s;
    }

    /**
     * Creates a scope that throws {@link TooSlowException} if it is still running
     * {@code timeout} after it was entered.
     *
     * @param timeout how long the body may run
     * @return a new scope
     */
    public static CancelScope failAfter(Duration timeout) {
        CancelScope s = new CancelScope(true);
        s.core.setRelativeTimeout(seconds(timeout));
        return s;
    }

    private static double seconds(Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + d);
        }
        return d.getSeconds() + d.getNano() / 1e9;
    }

    // ---------------------------------------------------------------- running

    /**
     * Enters the scope, runs {@code body}, and exits. Not a checkpoint of its own; the body's
     * checkpoints are.
     *
     * @param body the code to run inside the scope
     * @param <X> the checked exception the body may throw
     * @throws X what the body threw, unchanged
     * @throws TooSlowException if this is a {@code failAfter}/{@code failAt} scope and its
     *     deadline cancelled it
     * @throws IllegalStateException if the scope was entered before, or if called outside a
     *     run
     */
    @Async
    public <X extends Exception> void run(ScopeBody<X> body) throws X {
        TaskCore task = TaskCore.current("CancelScope.run");
        core.enter(task, "CancelScope.run");
        Throwable thrown = null;
        try {
            body.run();
        } catch (Throwable t) {
            thrown = t;
        }
        finish(task, thrown);
    }

    /**
     * Enters the scope, runs {@code body}, and exits, returning the body's value; returns
     * null if the scope caught a cancellation before the body returned.
     *
     * @param body the code to run inside the scope
     * @param <T> the value's type
     * @param <X> the checked exception the body may throw
     * @return the body's value, or null if the scope was cancelled
     * @throws X what the body threw, unchanged
     * @throws TooSlowException if this is a {@code failAfter}/{@code failAt} scope and its
     *     deadline cancelled it
     * @throws IllegalStateException if the scope was entered before, or if called outside a
     *     run
     */
    @Async
    public <T, X extends Exception> T call(ScopeFunction<T, X> body) throws X {
        TaskCore task = TaskCore.current("CancelScope.call");
        core.enter(task, "CancelScope.call");
        T value = null;
        Throwable thrown = null;
        try {
            value = body.call();
        } catch (Throwable t) {
            thrown = t;
        }
        finish(task, thrown);
        return core.cancelledCaught() ? null : value;
    }

    private void finish(TaskCore task, Throwable thrown) {
        try {
            core.exit(task);
        } catch (IllegalStateException e) {
            if (thrown != null) {
                e.addSuppressed(thrown);
            }
            throw e;
        }
        Throwable out = absorb(core, thrown);
        if (out != null) {
            throw Sneaky.rethrow(out);
        }
        if (failOnDeadline && core.cancelledCaught() && core.reason() != null
                && core.reason().source() == CancelReason.Source.DEADLINE) {
            throw new TooSlowException("deadline " + deadlineText() + " passed before the body finished");
        }
    }

    /**
     * Decides what leaves a scope: the scope catches a {@link Cancelled} (or removes those in
     * a {@link FailureGroup}) when it is the outermost cancelled scope.
     *
     * @return what propagates, or null
     */
    static Throwable absorb(ScopeCore core, Throwable thrown) {
        if (thrown == null || !core.canCatchCancelled()) {
            return thrown;
        }
        if (thrown instanceof Cancelled) {
            core.markCancelledCaught();
            return null;
        }
        if (thrown instanceof FailureGroup g && g.hasCancelled()) {
            core.markCancelledCaught();
            return g.withoutCancelled();
        }
        return thrown;
    }

    // ---------------------------------------------------------------- cancelling

    /**
     * Cancels the scope, with the reason "cancel() called". See {@link #cancel(String)}.
     */
    public void cancel() {
        cancel("cancel() called");
    }

    /**
     * Cancels the scope. Tasks blocked inside it get {@link Cancelled} at once; the running
     * task gets it at its next checkpoint. The first reason given stays and appears in every
     * {@code Cancelled} the scope raises, with the name of the task that called this. Calling
     * it again, or after the scope has exited, changes nothing. Not a checkpoint.
     *
     * @param reason why, for the messages
     */
    public void cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        TaskCore t = TaskCore.currentOrNull();
        core.cancel(new CancelReason(CancelReason.Source.EXPLICIT, reason, t == null ? null : t.name()));
    }

    /** Cancels on behalf of a nursery whose child or block failed. */
    void cancelForNursery(String detail) {
        core.cancel(new CancelReason(CancelReason.Source.NURSERY, detail, null));
    }

    ScopeCore core() {
        return core;
    }

    // ---------------------------------------------------------------- state

    /**
     * Returns the absolute deadline, or positive infinity if there is none.
     *
     * @return the deadline, in seconds on the run's clock
     * @throws IllegalStateException if the scope has a relative deadline and has not been
     *     entered, so it has no absolute one yet
     */
    public double deadline() {
        if (core.state() == ScopeCore.State.UNENTERED && !Double.isNaN(core.relativeTimeout())) {
            throw new IllegalStateException("deadline of " + core.describe() + " is unknown: its timeout counts from "
                    + "entering the scope, which has not happened; use relativeDeadline(), or withDeadline(...)");
        }
        return core.deadline();
    }

    /**
     * Sets the absolute deadline, also while the scope is in effect (moving it earlier
     * cancels the scope if it has passed). A relative timeout not yet applied is dropped.
     *
     * @param deadline the new deadline, possibly infinite
     * @throws IllegalArgumentException if {@code deadline} is NaN
     */
    public void setDeadline(double deadline) {
        if (Double.isNaN(deadline)) {
            throw new IllegalArgumentException("deadline must be a number, was NaN");
        }
        core.setDeadline(deadline);
    }

    /**
     * Returns the relative timeout of a scope made by {@link #withTimeout}, or null.
     *
     * @return the timeout, counted from entering the scope
     */
    public Duration relativeDeadline() {
        double r = core.relativeTimeout();
        return Double.isNaN(r) ? null : Duration.ofNanos((long) (r * 1e9));
    }

    /** Returns whether the scope is shielded. @return the shield */
    public boolean shield() {
        return core.shield();
    }

    /**
     * Shields the scope from outer cancellation, or lifts the shield. Takes effect at once,
     * also for tasks blocked inside. Not a checkpoint.
     *
     * @param shield whether to shield
     * @return this scope
     */
    public CancelScope setShield(boolean shield) {
        core.setShield(shield);
        return this;
    }

    /**
     * Returns whether the scope was cancelled (by a call or its deadline). A deadline that has
     * passed counts at once, also before the scope is entered; once true, it stays true.
     *
     * @return true if so
     */
    public boolean cancelCalled() {
        if (!core.cancelCalled() && core.deadline() != Double.POSITIVE_INFINITY) {
            TaskCore t = TaskCore.currentOrNull();
            if (t != null) {
                core.cancelIfDeadlinePassed(t.loop().now());
            }
        }
        return core.cancelCalled();
    }

    /**
     * Returns why the scope was cancelled.
     *
     * @return the first reason, or null if it was not cancelled
     */
    public CancelReason cancelReason() {
        return core.reason();
    }

    /** Returns whether the scope caught a {@link Cancelled} on its way out. @return true if so */
    public boolean cancelledCaught() {
        return core.cancelledCaught();
    }

    private String deadlineText() {
        return core.describe();
    }

    @Override
    public String toString() {
        return core.describe();
    }
}
