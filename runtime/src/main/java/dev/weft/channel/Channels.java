package dev.weft.channel;

import dev.weft.BrokenResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import java.util.Objects;

/**
 * Helpers built on memory channels.
 */
public final class Channels {
    private Channels() {
    }

    /**
     * Starts {@code producer} as a task in {@code nursery}, sending into a new channel, and
     * returns the channel's receive end: the structured-concurrency way to write a generator
     * (Trio's {@code as_safe_channel}). The producer runs as a child of the nursery, so it
     * cannot outlive the code that consumes it, and its failures reach the nursery.
     * {@snippet :
     * Nursery.open(n -> {
     *     try (var lines = Channels.produce(n, 0, out -> {
     *         for (String url : urls) {
     *             out.send(fetch(url));
     *         }
     *     })) {
     *         for (String page; (page = lines.receiveOrNull()) != null; ) {
     *             index(page);
     *         }
     *     }
     * });
     * }
     * The send end is closed when the producer returns or throws, so the consumer sees the
     * end of the channel. If the consumer closes the receive end first, the producer's next
     * {@code send} throws {@link BrokenResourceException}, which ends the producer quietly
     * (that exception does not reach the nursery); a producer blocked on something else
     * stops when the nursery is cancelled. Not a checkpoint: the producer starts once the
     * calling task reaches one.
     *
     * @param nursery where the producer task runs
     * @param capacity the channel's capacity (0 for a rendezvous: the producer works one
     *     value ahead of the consumer)
     * @param producer the producer's body
     * @param <T> the type of the values
     * @return the receive end; the caller should close it when done
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException if the nursery is closed
     */
    public static <T> MemoryReceiveChannel<T> produce(Nursery nursery, int capacity, Producer<T> producer) {
        return produce(nursery, null, capacity, producer);
    }

    /**
     * Like {@link #produce(Nursery, int, Producer)}, naming the producer task.
     *
     * @param nursery where the producer task runs
     * @param name the producer task's name, for dumps and messages, or null
     * @param capacity the channel's capacity
     * @param producer the producer's body
     * @param <T> the type of the values
     * @return the receive end
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException if the nursery is closed
     */
    public static <T> MemoryReceiveChannel<T> produce(Nursery nursery, String name, int capacity,
            Producer<T> producer) {
        Objects.requireNonNull(nursery, "nursery");
        Objects.requireNonNull(producer, "producer");
        MemoryChannel<T> channel = MemoryChannel.open(capacity);
        MemorySendChannel<T> out = channel.sender();
        nursery.startSoon(name, () -> runProducer(producer, out));
        return channel.receiver();
    }

    @Async
    private static <T> void runProducer(Producer<T> producer, MemorySendChannel<T> out) throws Exception {
        try (out) {
            producer.produce(out);
        } catch (BrokenResourceException e) {
            if (!out.receiversGone()) {
                throw e;
            }
            // The consumer closed its end: nobody wants more values, which is how a producer ends.
        }
    }
}
