package dev.weft.channel;

import dev.weft.BrokenResourceException;
import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.annotation.Async;

/**
 * The sending end of a channel: where a task puts values for other tasks to receive. Trio's
 * {@code SendChannel}.
 *
 * <p>Close an end when done with it ({@link #close()} is synchronous and never a checkpoint,
 * so try-with-resources works, also in a cancelled task): the receivers learn that the
 * stream of values has ended once every send end of the channel is closed.
 * {@snippet :
 * try (tx) {
 *     for (String line : lines) {
 *         tx.send(line);
 *     }
 * }   // receivers get null from receiveOrNull() once the values are drained
 * }
 *
 * @param <T> the type of the values; null is not a value (it is the receivers' end signal)
 */
public interface SendChannel<T> extends AutoCloseable {

    /**
     * Sends {@code value}, waiting while the channel cannot take it. A checkpoint, even when
     * it need not wait.
     *
     * @param value the value, not null
     * @throws Cancelled if the task is cancelled before the value was taken; then it was not
     *     sent
     * @throws BrokenResourceException if every receive end is closed, before or while waiting
     * @throws ClosedResourceException if this end is closed, before or while waiting
     * @throws NullPointerException if {@code value} is null
     */
    @Async
    void send(T value);

    /**
     * Sends {@code value} if the channel can take it now. Never blocks; not a checkpoint.
     *
     * @param value the value, not null
     * @return true if sent; false if sending would have had to wait
     * @throws BrokenResourceException if every receive end is closed
     * @throws ClosedResourceException if this end is closed
     * @throws NullPointerException if {@code value} is null
     */
    boolean trySend(T value);

    /**
     * Closes this end. Tasks blocked sending through it get {@link ClosedResourceException};
     * when the last send end closes, receivers get the end of the channel once they have
     * drained it. Closing twice does nothing. Not a checkpoint.
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
