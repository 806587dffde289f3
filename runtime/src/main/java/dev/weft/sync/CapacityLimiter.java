package dev.weft.sync;

import dev.weft.Cancelled;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A sack of tokens that caps how many tasks do something at once: Trio's
 * {@code CapacityLimiter}.
 *
 * <p>A task borrows a token with {@link #acquire()} (waiting while the sack is empty) and puts
 * it back with {@link #release()}. Unlike a {@link Semaphore}, the limiter knows who holds
 * each token: a borrower cannot hold two tokens of one limiter, and only a borrower can put
 * one back. A token can also be borrowed on behalf of something other than the current task
 * ({@link #acquireOnBehalfOf(Object)}): a thread, a connection, a request, released later by
 * whichever task finishes its work.
 * {@snippet :
 * CapacityLimiter fetches = new CapacityLimiter(10);   // at most 10 fetches at a time
 * @Async Page fetch(String url) {
 *     fetches.acquire();
 *     try {
 *         return http.get(url);
 *     } finally {
 *         fetches.release();
 *     }
 * }
 * }
 *
 * <h2>Changing the capacity</h2>
 * {@link #setTotalTokens(int)} may be called at any time. Raising it hands the new tokens to
 * waiting tasks at once, in arrival order. Lowering it takes no token away: the borrowers
 * finish as usual, and nobody new gets in until fewer than the new total are borrowed.
 *
 * <h2>Fairness and cancellation</h2>
 * Waiters get tokens in arrival order; a released token goes straight to the first waiter.
 * {@code acquire} either returns with a token held or throws {@link Cancelled} having
 * borrowed nothing and left no trace. A task that ends while holding a token does not give
 * it back (as in Trio): release it in a {@code finally}.
 *
 * <p>Borrowers are compared with {@code equals}, as in a {@link java.util.HashSet}; tasks are
 * equal only to themselves. A limiter's methods must be called on the run's thread.
 */
public final class CapacityLimiter {

    /** The capacity. Written by the constructor and {@link #setTotalTokens}. Invariant: {@code >= 0}. */
    private int totalTokens;
    /**
     * Who holds a token, in the order they got it. Written by tryAcquireOnBehalfOf, release and
     * {@link #wakeWaiters}. Invariant: tasks wait in {@link #lot} only while
     * {@code borrowers.size() >= totalTokens}, or while earlier tasks wait.
     */
    private final Set<Object> borrowers = new LinkedHashSet<>();
    /**
     * The borrower each parked task waits on behalf of. Written by acquireOnBehalfOf (added
     * before parking, removed if the park is cancelled) and by {@link #wakeWaiters} (moved to
     * {@link #borrowers} when the task is woken). Invariant: its keys are exactly the tasks in
     * {@link #lot}.
     */
    private final Map<Task, Object> pending = new HashMap<>();
    private final ParkingLot lot = new ParkingLot();

    /**
     * Creates a limiter.
     *
     * @param totalTokens the capacity, at least 0; {@link Integer#MAX_VALUE} for no limit
     * @throws IllegalArgumentException if {@code totalTokens} is negative
     */
    public CapacityLimiter(int totalTokens) {
        this.totalTokens = requireTokens(totalTokens);
    }

    private static int requireTokens(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("totalTokens must be >= 0, was " + n);
        }
        return n;
    }

    // ---------------------------------------------------------------- capacity

    /**
     * Returns the capacity. Not a checkpoint.
     *
     * @return the total number of tokens
     */
    public int totalTokens() {
        return totalTokens;
    }

    /**
     * Changes the capacity. Raising it wakes as many waiting tasks as there are new free
     * tokens, at once; lowering it takes no token back. Not a checkpoint.
     *
     * @param totalTokens the new capacity, at least 0
     * @throws IllegalArgumentException if {@code totalTokens} is negative
     */
    public void setTotalTokens(int totalTokens) {
        this.totalTokens = requireTokens(totalTokens);
        wakeWaiters();
    }

    /**
     * Returns how many tokens are borrowed. Not a checkpoint.
     *
     * @return the count
     */
    public int borrowedTokens() {
        return borrowers.size();
    }

    /**
     * Returns how many tokens could be borrowed now. Not a checkpoint.
     *
     * @return {@code totalTokens - borrowedTokens}, or 0 if the total was lowered below what
     *     is borrowed
     */
    public int availableTokens() {
        return Math.max(0, totalTokens - borrowers.size());
    }

    // ---------------------------------------------------------------- acquiring

    /**
     * Borrows a token for the current task if one is free and nobody is waiting. Never
     * blocks; not a checkpoint.
     *
     * @return true if the task now holds a token; false if none is free
     * @throws IllegalStateException if the task already holds a token of this limiter, or if
     *     called outside a run
     */
    public boolean tryAcquire() {
        return tryAcquireOnBehalfOf(Lowlevel.currentTask());
    }

    /**
     * Borrows a token for {@code borrower} if one is free and nobody is waiting. Never
     * blocks; not a checkpoint.
     *
     * @param borrower who will hold the token: a task or any object
     * @return true if {@code borrower} now holds a token; false if none is free
     * @throws IllegalStateException if {@code borrower} already holds a token of this limiter,
     *     or a task waits for one on its behalf
     */
    public boolean tryAcquireOnBehalfOf(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        if (borrowers.contains(borrower) || (!pending.isEmpty() && pending.containsValue(borrower))) {
            throw new IllegalStateException("CapacityLimiter: " + describe(borrower) + " already "
                    + (borrowers.contains(borrower) ? "holds" : "waits for")
                    + " one of this limiter's tokens; a borrower holds at most one");
        }
        if (borrowers.size() < totalTokens && lot.isEmpty()) {
            borrowers.add(borrower);
            return true;
        }
        return false;
    }

    /**
     * Borrows a token for the current task, waiting in line while none is free. A
     * checkpoint: it checks for cancellation first and, when a token is free, takes it and
     * then lets other tasks run (without throwing {@link Cancelled} after taking it).
     *
     * @throws Cancelled if the task is cancelled before it got a token; then it holds none
     * @throws IllegalStateException if the task already holds a token of this limiter, or if
     *     called outside a run
     */
    @Async
    public void acquire() {
        acquireOnBehalfOf(Lowlevel.currentTask());
    }

    /**
     * Borrows a token for {@code borrower}, waiting in line while none is free. A checkpoint,
     * as {@link #acquire()}.
     *
     * @param borrower who will hold the token: a task or any object
     * @throws Cancelled if the task is cancelled before it got a token; then {@code borrower}
     *     holds none
     * @throws IllegalStateException if {@code borrower} already holds a token of this limiter
     *     or waits for one, or if called outside a run
     */
    @Async
    public void acquireOnBehalfOf(Object borrower) {
        Weft.checkpointIfCancelled();
        if (tryAcquireOnBehalfOf(borrower)) {
            Weft.cancelShieldedCheckpoint();
            return;
        }
        Task me = Lowlevel.currentTask();
        pending.put(me, borrower);
        try {
            lot.park();
        } catch (Throwable t) {
            // Only the lot's abort (a cancellation) ends a park without a token: the abort took
            // the task out of line, and the token was never handed over.
            pending.remove(me);
            throw t;
        }
    }

    // ---------------------------------------------------------------- releasing

    /**
     * Puts back the current task's token; the first waiter, if any, gets it. Not a
     * checkpoint.
     *
     * @throws IllegalStateException if the task holds no token of this limiter, or if called
     *     outside a run
     */
    public void release() {
        releaseOnBehalfOf(Lowlevel.currentTask());
    }

    /**
     * Puts back {@code borrower}'s token; the first waiter, if any, gets it. Any task may
     * call it. Not a checkpoint.
     *
     * @param borrower the holder of the token
     * @throws IllegalStateException if {@code borrower} holds no token of this limiter
     */
    public void releaseOnBehalfOf(Object borrower) {
        if (!borrowers.remove(borrower)) {
            throw new IllegalStateException("CapacityLimiter.release: " + describe(borrower)
                    + " does not hold any of this limiter's tokens (holders: " + borrowers.size() + ")");
        }
        wakeWaiters();
    }

    /** Hands free tokens to waiters, first come first served. */
    private void wakeWaiters() {
        while (borrowers.size() < totalTokens && !lot.isEmpty()) {
            Task woken = lot.unpark();
            borrowers.add(pending.remove(woken));
        }
    }

    // ---------------------------------------------------------------- views

    /**
     * Returns the limiter's state for debugging. Not a checkpoint.
     *
     * @return tokens borrowed and total, the borrowers, and the number of waiting tasks
     */
    public CapacityLimiterStatistics statistics() {
        return new CapacityLimiterStatistics(borrowers.size(), totalTokens, new ArrayList<>(borrowers), lot.size());
    }

    private static String describe(Object borrower) {
        return borrower instanceof Task t ? "task '" + t.name() + "'" : "borrower " + borrower;
    }

    @Override
    public String toString() {
        return "CapacityLimiter[" + borrowers.size() + "/" + totalTokens + " borrowed, " + lot.size() + " waiting]";
    }
}
