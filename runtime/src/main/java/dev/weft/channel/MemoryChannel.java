package dev.weft.channel;

import java.util.Objects;

/**
 * A channel that passes values between tasks of one run, in memory: its two ends. Trio's
 * {@code open_memory_channel}.
 *
 * <p>{@link #open(int)} makes a channel and returns its {@link #sender() send end} and
 * {@link #receiver() receive end}; values flow from the first to the second in order. The
 * capacity is how many values may wait in the channel before {@code send} blocks:
 * <ul>
 *   <li>0, a <em>rendezvous</em>: each {@code send} waits for a {@code receive} to take its
 *       value. Back-pressure is immediate; when in doubt, use 0.
 *   <li>{@code n}: up to {@code n} values wait in a buffer; senders block only when it is
 *       full, which lets a producer run ahead of a bursty consumer by {@code n} values.
 *   <li>{@link #unbounded()}: senders never block. Only for values whose number is bounded
 *       some other way, since nothing slows a producer down.
 * </ul>
 * {@snippet :
 * MemoryChannel<String> ch = MemoryChannel.open(0);
 * Nursery.open(n -> {
 *     n.startSoon(() -> {
 *         try (var tx = ch.sender()) {
 *             for (String s : List.of("a", "b", "c")) {
 *                 tx.send(s);
 *             }
 *         }
 *     });
 *     try (var rx = ch.receiver()) {
 *         for (String s; (s = rx.receiveOrNull()) != null; ) {
 *             System.out.println(s);
 *         }
 *     }
 * });
 * }
 *
 * <h2>Ends, copies and the end of the channel</h2>
 * Each end can be {@linkplain MemorySendChannel#copy() copied}, so that each producer and
 * each consumer holds an end of its own and closes it when done. Receivers see the end of
 * the channel ({@link EndOfChannelException}, or null from
 * {@link ReceiveChannel#receiveOrNull()}) once every send end is closed and the buffer is
 * drained; senders get {@link dev.weft.BrokenResourceException} once every receive end is
 * closed. Using an end after closing it throws {@link dev.weft.ClosedResourceException}.
 *
 * <h2>Guarantees</h2>
 * Values are received in the order they were sent; blocked senders and receivers are
 * served in the order they blocked. {@code send} and {@code receive} are checkpoints, and
 * atomic with respect to cancellation: a cancelled {@code send} did not send, and a
 * cancelled {@code receive} took nothing. A value sent to a blocked receiver is handed to it
 * directly.
 *
 * @implNote A value that does not wait costs one buffer slot and no allocation; a task that
 *     blocks costs one queue node of about 40 bytes. The buffer is an
 *     {@link java.util.ArrayDeque}.
 *
 * @param sender the send end
 * @param receiver the receive end, of the same channel
 * @param <T> the type of the values
 */
public record MemoryChannel<T>(MemorySendChannel<T> sender, MemoryReceiveChannel<T> receiver) {

    /**
     * Pairs two ends of one channel; {@link #open(int)} is the way to make a channel.
     *
     * @throws IllegalArgumentException if the ends belong to different channels
     */
    public MemoryChannel {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        if (!sender.sameChannel(receiver)) {
            throw new IllegalArgumentException("MemoryChannel: the sender and the receiver are ends of different "
                    + "channels; use MemoryChannel.open(capacity) to make a channel");
        }
    }

    /**
     * Opens a channel. Not a checkpoint; may be called outside a run (the ends are used inside
     * one).
     *
     * @param capacity how many values may wait in the buffer: 0 for a rendezvous,
     *     {@link Integer#MAX_VALUE} for no limit
     * @param <T> the type of the values
     * @return the channel's two ends
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> MemoryChannel<T> open(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        MemoryChannelState<T> state = new MemoryChannelState<>(capacity);
        return new MemoryChannel<>(new MemorySendChannel<>(state), new MemoryReceiveChannel<>(state));
    }

    /**
     * Opens a channel whose senders never block: {@code open(Integer.MAX_VALUE)}.
     *
     * @param <T> the type of the values
     * @return the channel's two ends
     */
    public static <T> MemoryChannel<T> unbounded() {
        return open(Integer.MAX_VALUE);
    }

    /**
     * Returns the channel's state for debugging. Not a checkpoint.
     *
     * @return buffer use, open ends and waiting tasks
     */
    public MemoryChannelStatistics statistics() {
        return sender.statistics();
    }
}
