package dev.weft.channel;

import java.util.ArrayDeque;

/**
 * What the ends of one memory channel share: the buffer, the counts of open ends, and the
 * tasks blocked in {@code send} and {@code receive}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Tasks wait to send only while the buffer is full ({@code buffer.size() == capacity}),
 *       and to receive only while it is empty: so never both at once.
 *   <li>A receiver is woken with the value itself (hand-off); a blocked sender is woken by
 *       a receiver that took its value (into the slot it freed, or, with no buffer, as the
 *       value it receives). A woken task is out of its queue, so a cancellation that comes
 *       after cannot lose the value, nor deliver it twice.
 *   <li>The buffer never holds more than {@code capacity} values, so the peak never exceeds
 *       it (a rendezvous channel's peak stays 0).
 *   <li>Once {@code openSenders == 0}, nobody waits to send; once {@code openReceivers == 0},
 *       nobody waits on either side and the buffer is empty.
 * </ul>
 * Written only by the ends ({@link MemorySendChannel}, {@link MemoryReceiveChannel}), on the
 * run's thread.
 *
 * @param <T> the element type
 */
final class MemoryChannelState<T> {
    /** The buffer's capacity; {@link Integer#MAX_VALUE} means unbounded. */
    final int capacity;
    /** Values sent and not yet received, oldest first. Invariant: {@code size() <= capacity}. */
    final ArrayDeque<T> buffer;
    /** The most values the buffer has held at once. Written by {@link #buffer(Object)}; never decreases. */
    int peakBufferUsed;
    /** Open send ends. Incremented by each new send end, decremented once by its {@code close}. */
    int openSenders;
    /** Open receive ends. Incremented by each new receive end, decremented once by its {@code close}. */
    int openReceivers;
    /** Tasks blocked in {@code send}, with their values. Invariant: non-empty only while the buffer is full. */
    final WaitQueue<T, MemorySendChannel<T>> senders = new WaitQueue<>();
    /** Tasks blocked in {@code receive}. Invariant: non-empty only while the buffer is empty. */
    final WaitQueue<T, MemoryReceiveChannel<T>> receivers = new WaitQueue<>();

    MemoryChannelState(int capacity) {
        this.capacity = capacity;
        // A large or unbounded buffer grows as needed.
        this.buffer = new ArrayDeque<>(Math.max(1, Math.min(capacity, 256)));
    }

    /** Adds to the buffer, which the caller checked has room, and tracks the peak. */
    void buffer(T value) {
        buffer.addLast(value);
        if (buffer.size() > peakBufferUsed) {
            peakBufferUsed = buffer.size();
        }
    }

    MemoryChannelStatistics statistics() {
        return new MemoryChannelStatistics(buffer.size(), capacity, openSenders, openReceivers, senders.size(),
                receivers.size(), peakBufferUsed);
    }

    String describe() {
        return (capacity == 0 ? "rendezvous" : capacity == Integer.MAX_VALUE ? "unbounded" : "capacity " + capacity)
                + ", " + buffer.size() + " buffered, " + openSenders + " send and " + openReceivers
                + " receive ends open, " + senders.size() + " senders and " + receivers.size() + " receivers waiting";
    }
}
