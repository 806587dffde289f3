package dev.weft.sync;

import dev.weft.BrokenResourceException;
import dev.weft.Cancelled;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A fair queue of parked tasks, with cancellation and re-queueing: the building block of
 * {@link Lock}, {@link Semaphore}, {@link CapacityLimiter}, {@link Condition} and
 * {@link Event}. Trio's {@code trio.lowlevel.ParkingLot}.
 *
 * <p>{@link #park()} puts the current task at the back of the queue and blocks it;
 * {@link #unpark()} wakes the task at the front. A parked task that is cancelled leaves
 * the queue at once and throws {@link Cancelled}; a task that has been unparked is no
 * longer in the queue and returns from {@code park} normally, even if it is cancelled in
 * the meantime (it sees the cancellation at its next checkpoint). So whoever unparks a task
 * can hand it something (ownership of a lock, a token) knowing that the task will get it.
 * {@snippet :
 * // A one-shot gate: tasks wait until it opens.
 * ParkingLot lot = new ParkingLot();
 * boolean open;
 * @Async void pass() { if (!open) lot.park(); else Weft.checkpoint(); }
 * void open() { open = true; lot.unparkAll(); }
 * }
 *
 * <h2>Breaking</h2>
 * A lot can be broken ({@link #breakLot(Task)}): every parked task, and every task that
 * parks later, gets {@link BrokenResourceException} naming the task that broke it.
 * {@link #addBreaker(Task)} arranges for a task to break the lot when it exits, unless it
 * calls {@link #removeBreaker(Task)} first: a {@link Lock} registers its owner this way, so
 * an owner that ends without releasing does not leave the waiters blocked forever.
 *
 * <h2>States</h2>
 * <pre>
 *   OPEN --breakLot--> BROKEN (park throws; unpark and repark find nobody)
 * </pre>
 *
 * <p>A lot's methods must be called on the run's thread. Only {@link #park()} is a
 * checkpoint.
 *
 * @implNote Parked tasks form an intrusive doubly-linked list of one small node per park,
 *     which is also the park's abort callback: park, unpark and cancellation are O(1).
 */
public final class ParkingLot {

    /**
     * First and last parked task. Written by park, unpark, repark, break and the abort of a
     * cancelled park. Invariant: the list holds exactly {@link #size} nodes, each with
     * {@code lot == this}, in the order they parked (or were reparked here).
     */
    private Waiter head;
    private Waiter tail;
    private int size;
    /** The tasks that broke the lot, in order; null while it is not broken. */
    private List<Task> brokenBy;
    /** The exit hook {@link #addBreaker} registers; made on first use, then always the same object. */
    private Consumer<Task> breaker;

    /** Creates an empty, unbroken lot. */
    public ParkingLot() {
    }

    // ---------------------------------------------------------------- parking

    /**
     * Parks the current task at the back of the queue until {@link #unpark} (or a
     * {@link #repark} to a lot that then unparks it) wakes it. A checkpoint: it always
     * blocks, and a cancelled task leaves the queue and throws. On a lot that is already
     * broken it throws at once, without a checkpoint.
     *
     * @throws Cancelled if the task is cancelled while parked (it is no longer in the lot)
     * @throws BrokenResourceException if the lot is broken, or breaks while the task waits
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public void park() {
        if (brokenBy != null) {
            throw new BrokenResourceException("ParkingLot.park: the lot was broken by " + describe(brokenBy)
                    + "; nothing will ever be unparked from it");
        }
        Waiter w = new Waiter(Lowlevel.currentTask());
        linkLast(w);
        Lowlevel.park(w);
    }

    /**
     * Wakes the task at the front of the queue, if any. Not a checkpoint.
     *
     * @return the task woken, or null if none was parked
     */
    public Task unpark() {
        Waiter w = head;
        if (w == null) {
            return null;
        }
        unlink(w);
        Lowlevel.reschedule(w.task, null);
        return w.task;
    }

    /**
     * Wakes up to {@code count} tasks from the front of the queue, in order. Not a
     * checkpoint.
     *
     * @param count how many, at least 0; more than are parked wakes them all
     * @return the tasks woken, first-parked first
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public List<Task> unpark(int count) {
        requireCount(count);
        List<Task> woken = new ArrayList<>(Math.min(count, size));
        for (int i = 0; i < count && head != null; i++) {
            woken.add(unpark());
        }
        return woken;
    }

    /**
     * Wakes every parked task, first-parked first. Not a checkpoint.
     *
     * @return the tasks woken
     */
    public List<Task> unparkAll() {
        return unpark(size);
    }

    /**
     * Moves up to {@code count} tasks from the front of this queue to the back of
     * {@code other}'s, keeping their order, without waking them: Trio's {@code repark}, what
     * {@link Condition#signal} does to hand waiters to the lock's queue. A task moved into a
     * broken lot gets {@link BrokenResourceException}, as if it had parked there. Not a
     * checkpoint.
     *
     * @param other the lot to move tasks to
     * @param count how many, at least 0
     * @return how many were moved
     * @throws IllegalArgumentException if {@code count} is negative or {@code other} is this lot
     */
    public int repark(ParkingLot other, int count) {
        requireCount(count);
        if (other == this) {
            throw new IllegalArgumentException("ParkingLot.repark: the target is this same lot");
        }
        int moved = 0;
        while (moved < count && head != null) {
            Waiter w = head;
            unlink(w);
            if (other.brokenBy != null) {
                Lowlevel.rescheduleWithFailure(w.task, new BrokenResourceException("ParkingLot.repark: task '"
                        + w.task.name() + "' was moved into a lot broken by " + describe(other.brokenBy)));
            } else {
                other.linkLast(w);
            }
            moved++;
        }
        return moved;
    }

    /**
     * Moves every parked task to the back of {@code other}'s queue; see {@link #repark}. Not
     * a checkpoint.
     *
     * @param other the lot to move tasks to
     * @return how many were moved
     * @throws IllegalArgumentException if {@code other} is this lot
     */
    public int reparkAll(ParkingLot other) {
        return repark(other, size);
    }

    // ---------------------------------------------------------------- breaking

    /**
     * Breaks the lot on behalf of {@code breaker}: every parked task is woken with
     * {@link BrokenResourceException}, and every later {@link #park()} throws it. Breaking a
     * broken lot only records one more breaker. Not a checkpoint.
     *
     * @param breaker the task to name as the cause (it may have exited)
     */
    public void breakLot(Task breaker) {
        if (brokenBy != null) {
            brokenBy.add(breaker);
            return;
        }
        brokenBy = new ArrayList<>(1);
        brokenBy.add(breaker);
        while (head != null) {
            Waiter w = head;
            unlink(w);
            Lowlevel.rescheduleWithFailure(w.task, new BrokenResourceException("ParkingLot: task '" + w.task.name()
                    + "' was parked when task '" + breaker.name() + "' broke the lot"));
        }
    }

    /**
     * Breaks the lot on behalf of the current task; see {@link #breakLot(Task)}.
     *
     * @throws IllegalStateException if called outside a run
     */
    public void breakLot() {
        breakLot(Lowlevel.currentTask());
    }

    /**
     * Returns whether the lot is broken.
     *
     * @return true once {@link #breakLot} was called
     */
    public boolean isBroken() {
        return brokenBy != null;
    }

    /**
     * Returns the tasks that broke the lot, in order.
     *
     * @return a snapshot; empty if the lot is not broken
     */
    public List<Task> brokenBy() {
        return brokenBy == null ? List.of() : List.copyOf(brokenBy);
    }

    /**
     * Makes {@code task} break this lot when it exits, unless {@link #removeBreaker} is called
     * first. A task may be registered several times; each registration needs its own removal.
     * Not a checkpoint.
     *
     * @implNote Built on {@link Lowlevel#addTaskExitHook}; O(1), allocation-free once the task
     *     has registered one hook.
     *
     * @param task a task that has not exited
     * @throws IllegalStateException if the task has exited, or if called outside a run
     */
    public void addBreaker(Task task) {
        Consumer<Task> b = breaker;
        if (b == null) {
            b = this::breakLot;
            breaker = b;
        }
        Lowlevel.addTaskExitHook(task, b);
    }

    /**
     * Takes back one {@link #addBreaker} registration of {@code task}. Not a checkpoint.
     *
     * @param task the registered task
     * @throws IllegalStateException if {@code task} is not registered as a breaker of this lot
     */
    public void removeBreaker(Task task) {
        if (breaker == null || !Lowlevel.removeTaskExitHook(task, breaker)) {
            throw new IllegalStateException("ParkingLot.removeBreaker: task '" + task.name()
                    + "' is not registered as a breaker of this lot (addBreaker was not called, or was undone already)");
        }
    }

    // ---------------------------------------------------------------- views

    /**
     * Returns how many tasks are parked.
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    /**
     * Returns whether no task is parked.
     *
     * @return true if none is
     */
    public boolean isEmpty() {
        return head == null;
    }

    /**
     * Returns the lot's state for debugging. Not a checkpoint.
     *
     * @return the number of parked tasks
     */
    public ParkingLotStatistics statistics() {
        return new ParkingLotStatistics(size);
    }

    @Override
    public String toString() {
        return "ParkingLot[" + size + " parked" + (brokenBy == null ? "" : ", broken by " + describe(brokenBy)) + "]";
    }

    // ---------------------------------------------------------------- the queue

    private void linkLast(Waiter w) {
        w.lot = this;
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    private void unlink(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.lot = null;
        size--;
    }

    private static void requireCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
    }

    static String describe(List<Task> tasks) {
        StringBuilder b = new StringBuilder(tasks.size() == 1 ? "task " : "tasks ");
        for (int i = 0; i < tasks.size(); i++) {
            b.append(i == 0 ? "'" : ", '").append(tasks.get(i).name()).append('\'');
        }
        return b.toString();
    }

    /**
     * One parked task, and the abort of its park: a cancelled task takes itself out of
     * whichever lot holds it now (a {@link #repark} may have moved it).
     */
    private static final class Waiter implements Abort {
        final Task task;
        /** The lot whose list holds this node; null once it has left (woken, moved into a broken lot). */
        ParkingLot lot;
        Waiter prev;
        Waiter next;

        Waiter(Task task) {
            this.task = task;
        }

        @Override
        public AbortResult abort(Cancelled cancelled) {
            lot.unlink(this);
            return AbortResult.SUCCEEDED;
        }
    }
}
