package dev.weft.sync;

import dev.weft.BrokenResourceException;
import dev.weft.Cancelled;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;

/**
 * A mutual-exclusion lock owned by one task at a time: Trio's {@code Lock}. Not reentrant,
 * and only its owner may release it.
 *
 * <p>On one thread, code between two checkpoints already runs alone, so a lock is needed
 * only to keep other tasks out of a critical section that has checkpoints inside it (a
 * {@code synchronized} block would exclude nothing, and the weaver refuses one around an
 * async call). The usual shape:
 * {@snippet :
 * lock.acquire();
 * try {
 *     write(header);      // checkpoints: other tasks run, but none enters here
 *     write(body);
 * } finally {
 *     lock.release();
 * }
 * }
 *
 * <h2>Fairness</h2>
 * Tasks get the lock in the order they asked for it. {@link #release()} hands ownership
 * straight to the first waiter, so the releasing task cannot take the lock back before the
 * waiters have had their turn, even if it asks again before they run: three tasks looping
 * on one lock take it in strict rotation.
 *
 * <h2>Cancellation</h2>
 * {@link #acquire()} is atomic with respect to cancellation: it either returns with the lock
 * held, or throws {@link Cancelled} having left no trace (no queue entry, no ownership). A
 * waiter that the lock was handed to returns normally even if it was cancelled meanwhile,
 * and sees the cancellation at its next checkpoint, inside the {@code try} that releases.
 *
 * <h2>Broken locks</h2>
 * A task that exits while holding a lock breaks it: every task waiting for it, and every
 * later {@code acquire} or {@code tryAcquire}, gets {@link BrokenResourceException} naming
 * the exited owner, instead of waiting forever for a release that cannot come (Trio,
 * python-trio/trio#3035). A broken lock stays broken.
 *
 * <h2>States</h2>
 * <table class="striped">
 *   <caption>What each method does in each state</caption>
 *   <thead><tr><th>State</th><th>{@link #tryAcquire()}</th><th>{@link #acquire()}</th><th>{@link #release()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>unlocked</td><td>takes it, true</td><td>takes it, then a schedule point</td><td>throws {@code IllegalStateException}</td></tr>
 *   <tr><td>held by the caller</td><td colspan="2">throws {@code IllegalStateException} (not reentrant)</td><td>hands it to the first waiter, or unlocks</td></tr>
 *   <tr><td>held by another task</td><td>false</td><td>waits in line</td><td>throws {@code IllegalStateException} naming the owner</td></tr>
 *   <tr><td>broken (owner exited)</td><td colspan="2">throws {@code BrokenResourceException} naming the owner</td><td>throws {@code IllegalStateException}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>{@link StrictFIFOLock} is the same lock under a name that documents reliance on the
 * order. A lock's methods must be called on the run's thread.
 *
 * @implNote An uncontended {@code tryAcquire} plus {@code release} allocates nothing (after a
 *     task's first lock) and touches three fields plus the owner's exit-hook array;
 *     {@code acquire} adds one schedule point.
 */
public sealed class Lock permits StrictFIFOLock {

    /**
     * The tasks waiting to own the lock, in arrival order; {@link Condition} reparks signalled
     * waiters here, so that they wake up owning the lock. Invariant: non-empty only while
     * {@link #owner} is non-null.
     */
    final ParkingLot lot = new ParkingLot();
    /**
     * The task holding the lock, or null. Written by {@link #tryAcquire} and by
     * {@link #release} (which hands it to the next waiter). Invariant: while the lot is not
     * broken, the owner is registered exactly once as a breaker of {@link #lot}; once it is
     * broken, this is the exited task that broke it, for ever.
     */
    Task owner;

    /** Creates an unlocked lock. */
    public Lock() {
    }

    /**
     * Returns whether some task holds the lock (a broken lock counts as held). Not a
     * checkpoint.
     *
     * @return true if held
     */
    public boolean isLocked() {
        return owner != null;
    }

    /**
     * Takes the lock if nobody holds it and nobody is waiting for it. Never blocks; not a
     * checkpoint.
     *
     * @return true if the calling task now holds the lock; false if another task holds it
     * @throws IllegalStateException if the calling task already holds it, or if called
     *     outside a run
     * @throws BrokenResourceException if the lock's owner exited without releasing it
     */
    public boolean tryAcquire() {
        Task me = Lowlevel.currentTask();
        if (owner == null) {
            owner = me;
            lot.addBreaker(me);
            return true;
        }
        if (owner == me) {
            throw new IllegalStateException(kind() + ": task '" + me.name()
                    + "' already holds this lock, and locks are not reentrant");
        }
        if (lot.isBroken()) {
            throw broken();
        }
        return false;
    }

    /**
     * Takes the lock, waiting in line while another task holds it. A checkpoint: it checks
     * for cancellation first and, when the lock is free, takes it and then lets other tasks
     * run (without throwing {@link Cancelled} after taking it).
     *
     * @throws Cancelled if the task is cancelled before it got the lock; it then holds nothing
     *     and is no longer in line
     * @throws BrokenResourceException if the owner exits without releasing the lock, before or
     *     while the task waits
     * @throws IllegalStateException if the calling task already holds the lock, or if called
     *     outside a run
     */
    @Async
    public void acquire() {
        Weft.checkpointIfCancelled();
        if (tryAcquire()) {
            Weft.cancelShieldedCheckpoint();
            return;
        }
        awaitHandOff();
    }

    /**
     * Waits in line until {@link #release()} hands the lock over: the contended path of
     * {@link #acquire()}, and what a {@link Condition} waiter does once signalled. Returns
     * owning the lock.
     */
    @Async
    final void awaitHandOff() {
        try {
            lot.park();
        } catch (BrokenResourceException e) {
            throw broken();
        }
    }

    /**
     * Releases the lock: hands it to the task that has waited longest, or unlocks it if none
     * waits. Not a checkpoint.
     *
     * @throws IllegalStateException if the calling task does not hold the lock (the message
     *     names the owner), or if called outside a run
     */
    public void release() {
        Task me = Lowlevel.currentTask();
        if (owner != me) {
            throw new IllegalStateException(kind() + ".release: task '" + me.name() + "' does not hold this lock; "
                    + (owner == null ? "nobody does" : "task '" + owner.name() + "' does"
                    + (lot.isBroken() ? ", and it exited without releasing it" : ""))
                    + ". Only the task that acquired a lock may release it");
        }
        lot.removeBreaker(me);
        Task next = lot.unpark();
        owner = next;
        if (next != null) {
            lot.addBreaker(next);
        }
    }

    /**
     * Returns the lock's state for debugging. Not a checkpoint.
     *
     * @return whether it is held, by whom, and how many tasks wait for it
     */
    public LockStatistics statistics() {
        return new LockStatistics(owner != null, owner, lot.size());
    }

    /** Whether the calling task holds the lock; for {@link Condition}. */
    final boolean isOwnedBy(Task task) {
        return owner == task;
    }

    final BrokenResourceException broken() {
        return new BrokenResourceException(kind() + ": its owner, task '" + owner.name()
                + "', exited without releasing it, so the lock is broken");
    }

    final String kind() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        if (owner == null) {
            return kind() + "[unlocked]";
        }
        if (lot.isBroken()) {
            return kind() + "[broken: task '" + owner.name() + "' exited while holding it]";
        }
        return kind() + "[held by task '" + owner.name() + "', " + lot.size() + " waiting]";
    }
}
