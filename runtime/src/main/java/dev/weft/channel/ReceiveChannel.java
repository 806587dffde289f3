package dev.weft.channel;

import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.annotation.Async;

/**
 * The receiving end of a channel: where a task takes the values other tasks sent. Trio's
 * {@code ReceiveChannel}.
 *
 * <h2>Looping over the values</h2>
 * The loop is written with {@link #receiveOrNull()}, which returns null once the channel has
 * ended (every send end closed, every value received):
 * {@snippet :
 * try (rx) {
 *     for (String line; (line = rx.receiveOrNull()) != null; ) {
 *         handle(line);
 *     }
 * }
 * }
 * A receive channel is deliberately not an {@link Iterable}: Java's enhanced {@code for}
 * calls {@link java.util.Iterator#hasNext()}, which is not {@code @Async}, so a
 * {@code for (String line : rx)} could not wait for a value (the weaver decides from the
 * static target of each call whether it may suspend, and would refuse the {@code receive}
 * inside {@code hasNext}). An async iterator interface would need the same explicit
 * {@code while} loop as {@code receiveOrNull}, and two calls per value instead of one.
 *
 * @param <T> the type of the values
 */
public interface ReceiveChannel<T> extends AutoCloseable {

    /**
     * Receives the next value, waiting until one is sent. A checkpoint when it returns a
     * value; at the end of the channel it throws after checking for cancellation, without
     * letting other tasks run.
     *
     * @return the value
     * @throws EndOfChannelException if every send end is closed and every value received
     * @throws Cancelled if the task is cancelled before a value was handed to it; then none
     *     was taken
     * @throws ClosedResourceException if this end is closed, before or while waiting
     */
    @Async
    T receive();

    /**
     * Receives the next value, or null at the end of the channel: {@link #receive()} for loops.
     * A checkpoint as {@code receive}.
     *
     * @return the value, or null once every send end is closed and every value received
     * @throws Cancelled if the task is cancelled before a value was handed to it
     * @throws ClosedResourceException if this end is closed, before or while waiting
     */
    @Async
    default T receiveOrNull() {
        try {
            return receive();
        } catch (EndOfChannelException e) {
            return null;
        }
    }

    /**
     * Receives a value if one is ready now. Never blocks; not a checkpoint.
     *
     * @return the value, or null if receiving would have had to wait
     * @throws EndOfChannelException if every send end is closed and every value received
     * @throws ClosedResourceException if this end is closed
     */
    T tryReceive();

    /**
     * Closes this end. Tasks blocked receiving through it get {@link ClosedResourceException};
     * when the last receive end closes, the buffered values are dropped and senders get
     * {@link dev.weft.BrokenResourceException}. Closing twice does nothing. Not a checkpoint.
     */
    @Override
    void close();

    /**
     * Returns whether this end was closed. Not a checkpoint.
     *
     * @return true once closed
     */
    boolean isClosed();
}
