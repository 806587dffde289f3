package dev.weft.sync;

import dev.weft.Cancelled;
import dev.weft.Weft;
import dev.weft.annotation.Async;

/**
 * A counter that {@link #acquire()} decrements, blocking while it is zero, and
 * {@link #release()} increments: Trio's {@code Semaphore}.
 *
 * <p>Unlike a {@link Lock}, a semaphore has no owner: any task may release it, and nothing
 * happens when a task that acquired it exits. To cap how many tasks use a resource at once,
 * {@link CapacityLimiter} is usually the better tool: it checks who holds what. A bounded
 * semaphore ({@link #Semaphore(int, int)}) refuses to be released past its maximum, which
 * catches a release without a matching acquire.
 * {@snippet :
 * Semaphore slots = new Semaphore(3);
 * slots.acquire();
 * try {
 *     download(url);
 * } finally {
 *     slots.release();
 * }
 * }
 *
 * <h2>Fairness and cancellation</h2>
 * Waiters are served in arrival order, and {@link #release()} hands the unit straight to the
 * first waiter (the value stays 0), so a task that releases and acquires again queues behind
 * the waiters. {@code acquire} either returns having taken a unit or throws
 * {@link Cancelled} having taken nothing.
 *
 * <h2>States</h2>
 * <table class="striped">
 *   <caption>What each method does</caption>
 *   <thead><tr><th>State</th><th>{@link #tryAcquire()}</th><th>{@link #acquire()}</th><th>{@link #release()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>value &gt; 0 (nobody waits)</td><td>decrements, true</td><td>decrements, then a schedule point</td><td>increments, or throws at the bound</td></tr>
 *   <tr><td>value 0</td><td>false</td><td>waits in line</td><td>wakes the first waiter, else increments</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>A semaphore's methods must be called on the run's thread.
 */
public final class Semaphore {

    /**
     * The current value. Written by tryAcquire and release. Invariant: {@code 0 <= value <= max},
     * and {@code value == 0} whenever {@link #lot} is not empty.
     */
    private int value;
    private final int max;
    private final ParkingLot lot = new ParkingLot();

    /**
     * Creates an unbounded semaphore (its value may grow to {@link Integer#MAX_VALUE}).
     *
     * @param initialValue the starting value, at least 0
     * @throws IllegalArgumentException if {@code initialValue} is negative
     */
    public Semaphore(int initialValue) {
        this(initialValue, Integer.MAX_VALUE);
    }

    /**
     * Creates a bounded semaphore: {@link #release()} throws rather than push the value past
     * {@code maxValue}.
     *
     * @param initialValue the starting value, at least 0
     * @param maxValue the largest value allowed, at least {@code initialValue}
     * @throws IllegalArgumentException if {@code initialValue} is negative or greater than
     *     {@code maxValue}
     */
    public Semaphore(int initialValue, int maxValue) {
        if (initialValue < 0) {
            throw new IllegalArgumentException("initialValue must be >= 0, was " + initialValue);
        }
        if (maxValue < initialValue) {
            throw new IllegalArgumentException("maxValue must be >= initialValue (" + initialValue + "), was "
                    + maxValue);
        }
        this.value = initialValue;
        this.max = maxValue;
    }

    /**
     * Returns the current value. Not a checkpoint.
     *
     * @return the value
     */
    public int value() {
        return value;
    }

    /**
     * Returns the bound given at construction. Not a checkpoint.
     *
     * @return the maximum value, or {@link Integer#MAX_VALUE} for an unbounded semaphore
     */
    public int maxValue() {
        return max;
    }

    /**
     * Decrements the value if it is positive. Never blocks; not a checkpoint.
     *
     * @return true if it decremented; false if the value is 0
     */
    public boolean tryAcquire() {
        if (value > 0) {
            value--;
            return true;
        }
        return false;
    }

    /**
     * Decrements the value, waiting in line while it is 0. A checkpoint: it checks for
     * cancellation first and, when it can decrement at once, does so and then lets other
     * tasks run (without throwing {@link Cancelled} after decrementing).
     *
     * @throws Cancelled if the task is cancelled before it decremented; then nothing changed
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public void acquire() {
        Weft.checkpointIfCancelled();
        if (tryAcquire()) {
            Weft.cancelShieldedCheckpoint();
            return;
        }
        lot.park();
    }

    /**
     * Increments the value, or, if tasks are waiting, hands the unit to the first of them.
     * Any task may call it. Not a checkpoint.
     *
     * @throws IllegalStateException if the value is already at the semaphore's maximum (for
     *     a bounded semaphore: released more often than acquired)
     */
    public void release() {
        if (lot.unpark() != null) {
            return;
        }
        if (value == max) {
            throw new IllegalStateException("Semaphore.release: the value is already at its maximum " + max
                    + (max == Integer.MAX_VALUE ? "" : "; it was released more times than it was acquired"));
        }
        value++;
    }

    /**
     * Returns the semaphore's state for debugging. Not a checkpoint.
     *
     * @return the value, the bound and the number of waiting tasks
     */
    public SemaphoreStatistics statistics() {
        return new SemaphoreStatistics(value, max, lot.size());
    }

    @Override
    public String toString() {
        return "Semaphore[value " + value + (max == Integer.MAX_VALUE ? "" : " of max " + max) + ", "
                + lot.size() + " waiting]";
    }
}
