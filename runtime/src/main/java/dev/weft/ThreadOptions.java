package dev.weft;

import dev.weft.sync.CapacityLimiter;
import java.util.Objects;

/**
 * How {@link Weft#runInThread(java.util.concurrent.Callable, ThreadOptions)} runs blocking
 * code: what a cancellation does to the wait, and which capacity limiter bounds the threads.
 * Immutable; each {@code with}-style method returns a new value.
 * {@snippet :
 * byte[] page = Weft.runInThread(() -> legacyClient.fetch(url),
 *         ThreadOptions.abandonOnCancel().limiter(fetchLimiter));
 * }
 *
 * <h2>Cancellation</h2>
 * A thread cannot be stopped from outside, so when the task waiting for one is cancelled,
 * Weft can only choose what the task does:
 * <table class="striped">
 *   <caption>The three policies</caption>
 *   <thead><tr><th>{@link OnCancel}</th><th>the thread</th><th>the task</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link OnCancel#WAIT WAIT} (default)</td><td>runs on</td>
 *     <td>waits for it, then gets its value or exception; the cancellation is raised at the
 *     task's next checkpoint. Nothing outlives the scope.</td></tr>
 *   <tr><td>{@link OnCancel#INTERRUPT_AND_WAIT INTERRUPT_AND_WAIT}</td><td>is
 *     {@linkplain Thread#interrupt() interrupted}</td><td>as {@code WAIT}: usually gets the
 *     {@code InterruptedException} (or {@code ClosedByInterruptException}) the interrupt
 *     caused</td></tr>
 *   <tr><td>{@link OnCancel#ABANDON ABANDON}</td><td>runs on, unobserved; its outcome is
 *     dropped</td><td>throws {@link Cancelled} at once</td></tr>
 *   </tbody>
 * </table>
 * Interrupting is safe only for code written to be interrupted: an interrupt closes any NIO
 * channel the thread is blocked in (so never for {@code java.nio.file} file channels that
 * should stay open).
 *
 * <h2>Limiters</h2>
 * Each call borrows one token of a {@link CapacityLimiter} for as long as its thread runs,
 * even after an abandoning task has moved on. Unless {@link #limiter(CapacityLimiter)} names
 * one, that is the run's {@linkplain Weft#defaultThreadLimiter() default limiter} (40 tokens).
 * {@link #withoutLimiter()} skips limiting, for callers that bound their threads themselves.
 */
public final class ThreadOptions {

    /** What a cancellation of the waiting task does; see the class doc. */
    public enum OnCancel {
        /** The task waits for the thread to finish. */
        WAIT,
        /** The thread is interrupted, and the task waits for it to finish. */
        INTERRUPT_AND_WAIT,
        /** The task stops waiting and throws {@link Cancelled} at once; the thread runs on. */
        ABANDON
    }

    private static final ThreadOptions DEFAULTS = new ThreadOptions(OnCancel.WAIT, null, true);

    private final OnCancel onCancel;
    private final CapacityLimiter limiter;
    private final boolean limited;

    private ThreadOptions(OnCancel onCancel, CapacityLimiter limiter, boolean limited) {
        this.onCancel = onCancel;
        this.limiter = limiter;
        this.limited = limited;
    }

    /**
     * The defaults: wait for the thread on cancellation; the run's default limiter.
     *
     * @return the default options
     */
    public static ThreadOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults, but a cancelled task abandons the thread and returns at once.
     *
     * @return options with {@link OnCancel#ABANDON}
     */
    public static ThreadOptions abandonOnCancel() {
        return DEFAULTS.onCancel(OnCancel.ABANDON);
    }

    /**
     * The defaults, but a cancellation interrupts the thread (and still waits for it).
     *
     * @return options with {@link OnCancel#INTERRUPT_AND_WAIT}
     */
    public static ThreadOptions interruptOnCancel() {
        return DEFAULTS.onCancel(OnCancel.INTERRUPT_AND_WAIT);
    }

    /**
     * Returns these options with another cancellation policy.
     *
     * @param policy what a cancellation does
     * @return new options
     */
    public ThreadOptions onCancel(OnCancel policy) {
        return new ThreadOptions(Objects.requireNonNull(policy, "policy"), limiter, limited);
    }

    /**
     * Returns these options with {@code limiter} bounding the threads instead of the run's
     * default limiter.
     *
     * @param limiter the limiter; each call borrows one of its tokens while its thread runs
     * @return new options
     */
    public ThreadOptions limiter(CapacityLimiter limiter) {
        return new ThreadOptions(onCancel, Objects.requireNonNull(limiter, "limiter"), true);
    }

    /**
     * Returns these options with no limiter at all: every call gets a thread at once. For
     * callers that bound their threads otherwise (a stream over a pipe has at most one read in
     * flight).
     *
     * @return new options
     */
    public ThreadOptions withoutLimiter() {
        return new ThreadOptions(onCancel, null, false);
    }

    /** Returns the cancellation policy. @return the policy */
    public OnCancel onCancel() {
        return onCancel;
    }

    /**
     * Returns the limiter given to {@link #limiter(CapacityLimiter)}, or null for the run's
     * default one (or none, after {@link #withoutLimiter()}).
     *
     * @return the limiter, or null
     */
    public CapacityLimiter limiter() {
        return limiter;
    }

    /** Returns false after {@link #withoutLimiter()}. @return whether a limiter is used */
    public boolean isLimited() {
        return limited;
    }

    @Override
    public String toString() {
        return "ThreadOptions[onCancel=" + onCancel + ", limiter="
                + (!limited ? "none" : limiter == null ? "the run's default" : limiter) + "]";
    }
}
