package dev.weft.sync;

import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import java.util.Objects;

/**
 * A condition variable over a {@link Lock}: tasks holding the lock wait for a change of
 * shared state that another task signals. Trio's {@code Condition}.
 *
 * <p>{@link #await()} releases the lock, waits for a {@link #signal()}, and takes the lock
 * back before it returns. Wait in a loop that re-checks the state, since other tasks may
 * change it between the signal and the waiter's return:
 * {@snippet :
 * cond.acquire();
 * try {
 *     while (queue.isEmpty()) {
 *         cond.await();
 *     }
 *     item = queue.poll();
 * } finally {
 *     cond.release();
 * }
 * // the producer, holding the lock:  queue.add(x); cond.signal();
 * }
 *
 * <h2>Names</h2>
 * Trio's {@code wait}, {@code notify} and {@code notify_all} are {@link #await()},
 * {@link #signal()} and {@link #signalAll()} here, as in
 * {@link java.util.concurrent.locks.Condition}: {@code Object.wait()}, {@code notify()} and
 * {@code notifyAll()} are final methods of every Java object.
 *
 * <h2>Fairness and cancellation</h2>
 * Signals wake waiters in the order they started waiting. A signalled waiter does not run at
 * once: it moves to the back of the lock's queue, and wakes up owning the lock when its turn
 * comes. A waiter that is cancelled still takes the lock back before {@link Cancelled} leaves
 * {@code await}, so the {@code finally} that releases it is always right; the cost is that
 * the cancellation waits until the lock is free.
 *
 * <p>A condition's methods must be called on the run's thread.
 */
public final class Condition {

    private final Lock lock;
    /** Tasks in {@link #await()} not yet signalled, in arrival order; signals repark them into the lock's queue. */
    private final ParkingLot lot = new ParkingLot();

    /** Creates a condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * Creates a condition over {@code lock} (a {@link Lock} or a {@link StrictFIFOLock}).
     *
     * @param lock the lock that guards the shared state
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Returns the underlying lock. Not a checkpoint.
     *
     * @return the lock
     */
    public Lock lock() {
        return lock;
    }

    /**
     * Returns whether the underlying lock is held. Not a checkpoint.
     *
     * @return true if held
     */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /**
     * Takes the underlying lock if it is free; see {@link Lock#tryAcquire()}. Not a checkpoint.
     *
     * @return true if the calling task now holds the lock
     * @throws IllegalStateException if it already holds the lock
     * @throws BrokenResourceException if the lock's owner exited without releasing it
     */
    public boolean tryAcquire() {
        return lock.tryAcquire();
    }

    /**
     * Takes the underlying lock; see {@link Lock#acquire()}. A checkpoint.
     *
     * @throws Cancelled if the task is cancelled before it got the lock
     * @throws BrokenResourceException if the lock's owner exited without releasing it
     * @throws IllegalStateException if the calling task already holds the lock
     */
    @Async
    public void acquire() {
        lock.acquire();
    }

    /**
     * Releases the underlying lock; see {@link Lock#release()}. Not a checkpoint.
     *
     * @throws IllegalStateException if the calling task does not hold the lock
     */
    public void release() {
        lock.release();
    }

    /**
     * Releases the lock, waits for {@link #signal()} or {@link #signalAll()}, and takes the
     * lock back. A checkpoint: it always blocks.
     *
     * <p>Whatever ends the wait, the task holds the lock again when this returns or throws:
     * a cancelled waiter takes the lock back inside a shielded scope before rethrowing
     * {@link Cancelled}, so the cancellation may have to wait for the lock to be free.
     *
     * @throws Cancelled if the task was cancelled while waiting (it holds the lock again)
     * @throws BrokenResourceException if the lock's owner exited without releasing it while
     *     this task waited to take it back (then it does not hold the lock)
     * @throws IllegalStateException if the calling task does not hold the lock, or if called
     *     outside a run
     */
    @Async
    public void await() {
        Task me = Lowlevel.currentTask();
        if (!lock.isOwnedBy(me)) {
            throw new IllegalStateException("Condition.await: task '" + me.name() + "' must hold the condition's "
                    + "lock to wait, but " + holder() + " holds it");
        }
        lock.release();
        try {
            // Parked here until signalled, then in the lock's own queue (where signal reparks
            // it): waking there is what taking the lock looks like, so a normal return owns it.
            lot.park();
        } catch (Throwable t) {
            // Cancelled, or the lock broke while this task waited in its queue. Either way take
            // the lock back (a broken lock makes this throw, with t suppressed).
            try {
                new CancelScope().setShield(true).run(lock::acquire);
            } catch (Throwable again) {
                again.addSuppressed(t);
                throw again;
            }
            throw t;
        }
    }

    /**
     * Wakes the task that has waited longest, if any: it moves to the lock's queue and
     * returns from {@link #await()} once it gets the lock. Not a checkpoint.
     *
     * @throws IllegalStateException if the calling task does not hold the lock
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, longest-waiting first; see {@link #signal()}. Not a
     * checkpoint.
     *
     * @param n how many, at least 0
     * @throws IllegalStateException if the calling task does not hold the lock
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        requireHeld("signal");
        lot.repark(lock.lot, n);
    }

    /**
     * Wakes every waiting task; see {@link #signal()}. Not a checkpoint.
     *
     * @throws IllegalStateException if the calling task does not hold the lock
     */
    public void signalAll() {
        requireHeld("signalAll");
        lot.reparkAll(lock.lot);
    }

    private void requireHeld(String what) {
        Task me = Lowlevel.currentTask();
        if (!lock.isOwnedBy(me)) {
            throw new IllegalStateException("Condition." + what + ": task '" + me.name() + "' must hold the "
                    + "condition's lock to signal, but " + holder() + " holds it");
        }
    }

    private String holder() {
        Task owner = lock.statistics().owner();
        return owner == null ? "nobody" : "task '" + owner.name() + "'";
    }

    /**
     * Returns the condition's state for debugging. Not a checkpoint.
     *
     * @return the number of waiting tasks not yet signalled, and the lock's statistics
     */
    public ConditionStatistics statistics() {
        return new ConditionStatistics(lot.size(), lock.statistics());
    }

    @Override
    public String toString() {
        return "Condition[" + lot.size() + " waiting, " + lock + "]";
    }
}
