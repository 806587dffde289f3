package dev.weft.channel;

import dev.weft.BrokenResourceException;
import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;

/**
 * A receive end of a memory channel: made by {@link MemoryChannel#open(int)} and by
 * {@link #copy()}. Trio's {@code MemoryReceiveChannel}.
 *
 * <p>Several tasks may receive through one end, or through copies, at once: each value goes
 * to exactly one of them, blocked receivers being served in the order they blocked (copies
 * share one stream of values; they do not each get every value).
 *
 * <h2>Copies and closing</h2>
 * {@link #copy()} makes another receive end of the same channel, to give each consumer its
 * own end to close; senders get {@link BrokenResourceException} only once every receive end
 * is closed, and the values still buffered then are dropped.
 * <table class="striped">
 *   <caption>What receiving does</caption>
 *   <thead><tr><th>State</th><th>{@link #receive()}</th><th>{@link #receiveOrNull()}</th><th>{@link #tryReceive()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>a value is buffered, or a sender waits</td><td colspan="2">takes it, then a schedule point</td><td>takes it</td></tr>
 *   <tr><td>nothing ready, a send end open</td><td colspan="2">waits in line</td><td>null</td></tr>
 *   <tr><td>every send end closed, drained</td><td>{@link EndOfChannelException}</td><td>null</td><td>{@link EndOfChannelException}</td></tr>
 *   <tr><td>this end closed</td><td colspan="3">{@link ClosedResourceException} (also from {@link #copy()})</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Must be used on the run's thread.
 *
 * @param <T> the type of the values
 */
public final class MemoryReceiveChannel<T> implements ReceiveChannel<T> {

    private final MemoryChannelState<T> state;
    /** Set once by {@link #close()}. Invariant: once set, no task waits to receive through this end. */
    private boolean closed;

    MemoryReceiveChannel(MemoryChannelState<T> state) {
        this.state = state;
        state.openReceivers++;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A checkpoint: it checks for cancellation first and, when a value is ready, takes it
     * and then lets other tasks run (without throwing {@link Cancelled} after taking it).
     */
    @Async
    @Override
    @SuppressWarnings("unchecked")
    public T receive() {
        Weft.checkpointIfCancelled();
        T value = poll();
        if (value != null) {
            Weft.cancelShieldedCheckpoint();
            return value;
        }
        // Parked here rather than in a helper: one woven frame fewer on every blocking receive.
        if (state.openSenders > 0) {
            value = (T) Lowlevel.park(state.receivers.add(Lowlevel.currentTask(), this, null));
        }
        if (value == null) {
            throw new EndOfChannelException("MemoryReceiveChannel.receive: end of channel: every send end is closed "
                    + "and every value was received");
        }
        return value;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A checkpoint as {@link #receive()}.
     */
    @Async
    @Override
    @SuppressWarnings("unchecked")
    public T receiveOrNull() {
        Weft.checkpointIfCancelled();
        T value = poll();
        if (value != null) {
            Weft.cancelShieldedCheckpoint();
            return value;
        }
        if (state.openSenders == 0) {
            return null;
        }
        // A blocked receiver is woken with the value, or with null when the last send end closes.
        return (T) Lowlevel.park(state.receivers.add(Lowlevel.currentTask(), this, null));
    }

    @Override
    public T tryReceive() {
        T value = poll();
        if (value == null && state.openSenders == 0) {
            throw new EndOfChannelException("MemoryReceiveChannel.tryReceive: end of channel: every send end is "
                    + "closed and every value was received");
        }
        return value;
    }

    /**
     * Takes the next value without blocking, or returns null: the head of the buffer, whose
     * freed slot goes to the longest-blocked sender; or, in a rendezvous channel, that
     * sender's value itself.
     */
    private T poll() {
        if (closed) {
            throw closedEnd("receive from");
        }
        MemoryChannelState<T> s = state;
        T value = s.buffer.pollFirst();
        WaitQueue.Waiter<T, MemorySendChannel<T>> sender = s.senders.poll();
        if (sender != null) {
            // Senders wait only while the buffer is full: it was, so the sender's value takes
            // the slot just freed (the buffer stays full), or, with no buffer, is the value.
            Lowlevel.reschedule(sender.task, null);
            if (value == null) {
                return sender.value;
            }
            s.buffer.addLast(sender.value);
        }
        return value;
    }

    /**
     * Makes another receive end of the same channel, open until it is closed itself. Not a
     * checkpoint.
     *
     * @return the new end
     * @throws ClosedResourceException if this end is closed
     */
    public MemoryReceiveChannel<T> copy() {
        if (closed) {
            throw closedEnd("copy of");
        }
        return new MemoryReceiveChannel<>(state);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MemoryChannelState<T> s = state;
        s.receivers.removeIf(this, w -> Lowlevel.rescheduleWithFailure(w.task, new ClosedResourceException(
                "MemoryReceiveChannel.receive: the receive end that task '" + w.task.name() + "' was receiving "
                        + "through was closed while it waited")));
        if (--s.openReceivers == 0) {
            s.senders.removeIf(null, w -> Lowlevel.rescheduleWithFailure(w.task, new BrokenResourceException(
                    "MemorySendChannel.send: every receive end of the channel was closed while task '" + w.task.name()
                            + "' waited to send")));
            s.buffer.clear();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Returns the channel's state for debugging (the same from every end). Not a checkpoint.
     *
     * @return buffer use, open ends and waiting tasks
     */
    public MemoryChannelStatistics statistics() {
        return state.statistics();
    }

    boolean sameState(MemoryChannelState<?> other) {
        return state == other;
    }

    private ClosedResourceException closedEnd(String what) {
        return new ClosedResourceException("MemoryReceiveChannel: " + what + " a receive end that was closed; "
                + "copy() an end before closing it to keep receiving");
    }

    @Override
    public String toString() {
        return "MemoryReceiveChannel[" + (closed ? "closed; " : "") + state.describe() + "]";
    }
}
