package dev.weft.sync;

import dev.weft.Cancelled;
import dev.weft.Weft;
import dev.weft.annotation.Async;

/**
 * A flag that tasks can wait for, which goes from unset to set once and stays set: Trio's
 * {@code Event}.
 *
 * <p>{@link #await()} blocks until the flag is set; {@link #set()} sets it and wakes every
 * waiter. Because the flag stays set, it does not matter whether {@code set} runs just
 * before or just after a task starts to wait: no wake-up is lost. An event cannot be
 * cleared; to signal a series of happenings, make a new event for each (they are cheap), or
 * use a memory channel.
 * {@snippet :
 * Event ready = new Event();
 * Nursery.open(n -> {
 *     n.startSoon(() -> { ready.await(); System.out.println("go"); });
 *     setUp();
 *     ready.set();
 * });
 * }
 *
 * <h2>States</h2>
 * <table class="striped">
 *   <caption>What an event does in each state</caption>
 *   <thead><tr><th>State</th><th>{@link #isSet()}</th><th>{@link #await()}</th><th>{@link #set()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>unset</td><td>false</td><td>blocks until set</td><td>wakes every waiter; becomes set</td></tr>
 *   <tr><td>set</td><td>true</td><td>a checkpoint, then returns</td><td>does nothing</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>An event's methods must be called on the run's thread.
 */
public final class Event {

    /** Whether {@link #set()} was called. Written once by {@code set}. Invariant: when true, {@link #lot} is empty. */
    private boolean flag;
    private final ParkingLot lot = new ParkingLot();

    /** Creates an event that is not set. */
    public Event() {
    }

    /**
     * Returns whether the event is set. Not a checkpoint.
     *
     * @return true once {@link #set()} was called
     */
    public boolean isSet() {
        return flag;
    }

    /**
     * Sets the event and wakes every task waiting for it; later waits return at once. Calling
     * it again does nothing. Not a checkpoint.
     */
    public void set() {
        if (!flag) {
            flag = true;
            lot.unparkAll();
        }
    }

    /**
     * Waits until the event is set. A checkpoint, even when the event is already set: it
     * then lets other tasks run, and throws if the task is cancelled.
     *
     * @throws Cancelled if the task is cancelled while waiting, or is already cancelled
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public void await() {
        if (flag) {
            Weft.checkpoint();
        } else {
            lot.park();
        }
    }

    /**
     * Returns the event's state for debugging. Not a checkpoint.
     *
     * @return the number of waiting tasks
     */
    public EventStatistics statistics() {
        return new EventStatistics(lot.size());
    }

    @Override
    public String toString() {
        return "Event[" + (flag ? "set" : "unset, " + lot.size() + " waiting") + "]";
    }
}
