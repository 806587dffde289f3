package dev.weft.channel;

import dev.weft.annotation.Async;

/**
 * The body of a producer task started by {@link Channels#produce}: sends values into the
 * channel it is given, and returns when it has no more.
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface Producer<T> {
    /**
     * Produces values. A suspension point when called from {@code @Async} code.
     *
     * @param out where to send them; closed for the producer when it returns or throws
     * @throws Exception if producing fails; the failure reaches the producer's nursery
     */
    @Async
    void produce(SendChannel<T> out) throws Exception;
}
