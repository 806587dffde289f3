package dev.weft.channel;

import dev.weft.BrokenResourceException;
import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import java.util.Objects;

/**
 * A send end of a memory channel: made by {@link MemoryChannel#open(int)} and by
 * {@link #copy()}. Trio's {@code MemorySendChannel}.
 *
 * <p>Several tasks may send through one end, or through copies, at once: blocked senders
 * are served in the order they blocked. A value sent to a channel with a blocked receiver
 * goes straight to that receiver (hand-off), so a sender whose value was taken cannot lose
 * it to a later cancellation.
 *
 * <h2>Copies and closing</h2>
 * {@link #copy()} makes another send end of the same channel, to give each producer its own
 * end to close; the receivers see the end of the channel only when every end is closed.
 * <table class="striped">
 *   <caption>What sending does</caption>
 *   <thead><tr><th>State</th><th>{@link #send}</th><th>{@link #trySend}</th><th>{@link #copy()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>a receiver waits</td><td>hands the value over, then a schedule point</td><td>hands it over, true</td><td rowspan="3">a new end</td></tr>
 *   <tr><td>buffer has room</td><td>buffers, then a schedule point</td><td>buffers, true</td></tr>
 *   <tr><td>buffer full</td><td>waits in line</td><td>false</td></tr>
 *   <tr><td>every receive end closed</td><td colspan="2">{@link BrokenResourceException}</td><td>a new end</td></tr>
 *   <tr><td>this end closed</td><td colspan="3">{@link ClosedResourceException}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Must be used on the run's thread.
 *
 * @param <T> the type of the values
 */
public final class MemorySendChannel<T> implements SendChannel<T> {

    private final MemoryChannelState<T> state;
    /** Set once by {@link #close()}. Invariant: once set, no task waits to send through this end. */
    private boolean closed;

    MemorySendChannel(MemoryChannelState<T> state) {
        this.state = state;
        state.openSenders++;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A checkpoint: it checks for cancellation first and, when the value can be taken at
     * once, hands it over and then lets other tasks run (without throwing {@link Cancelled}
     * after the value was taken).
     */
    @Async
    @Override
    public void send(T value) {
        Weft.checkpointIfCancelled();
        if (trySend(value)) {
            Weft.cancelShieldedCheckpoint();
            return;
        }
        Lowlevel.park(state.senders.add(Lowlevel.currentTask(), this, value));
    }

    @Override
    public boolean trySend(T value) {
        Objects.requireNonNull(value, "value: a channel cannot carry null, which marks the end for receiveOrNull");
        if (closed) {
            throw closedEnd("send on");
        }
        MemoryChannelState<T> s = state;
        if (s.openReceivers == 0) {
            throw new BrokenResourceException("MemorySendChannel.send: every receive end of the channel is closed, "
                    + "so nobody will ever receive the value");
        }
        WaitQueue.Waiter<T, MemoryReceiveChannel<T>> receiver = s.receivers.poll();
        if (receiver != null) {
            Lowlevel.reschedule(receiver.task, value);
            return true;
        }
        if (s.buffer.size() < s.capacity) {
            s.buffer(value);
            return true;
        }
        return false;
    }

    /**
     * Makes another send end of the same channel, open until it is closed itself. Not a
     * checkpoint.
     *
     * @return the new end
     * @throws ClosedResourceException if this end is closed
     */
    public MemorySendChannel<T> copy() {
        if (closed) {
            throw closedEnd("copy of");
        }
        return new MemorySendChannel<>(state);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MemoryChannelState<T> s = state;
        s.senders.removeIf(this, w -> Lowlevel.rescheduleWithFailure(w.task, new ClosedResourceException(
                "MemorySendChannel.send: the send end that task '" + w.task.name() + "' was sending through was "
                        + "closed while it waited")));
        if (--s.openSenders == 0) {
            // The end of the channel: tasks waiting to receive find the buffer empty for good.
            s.receivers.removeIf(null, w -> Lowlevel.reschedule(w.task, null));
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

    boolean sameChannel(MemoryReceiveChannel<?> receiver) {
        return receiver.sameState(state);
    }

    /** Whether every receive end of the channel is closed. */
    boolean receiversGone() {
        return state.openReceivers == 0;
    }

    private ClosedResourceException closedEnd(String what) {
        return new ClosedResourceException("MemorySendChannel: " + what + " a send end that was closed; "
                + "copy() an end before closing it to keep sending");
    }

    @Override
    public String toString() {
        return "MemorySendChannel[" + (closed ? "closed; " : "") + state.describe() + "]";
    }
}
