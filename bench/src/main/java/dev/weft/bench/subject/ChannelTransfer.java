package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.channel.EndOfChannelException;
import dev.weft.channel.MemoryChannel;
import dev.weft.channel.MemoryReceiveChannel;
import dev.weft.channel.MemorySendChannel;

/**
 * A main task that starts a producer and a consumer joined by a memory channel, sends
 * {@code messages} values through it, and returns the sum the consumer received.
 *
 * <p>Two ways to use the channel, chosen by {@code tryFirst}:
 * <ul>
 *   <li>{@code false}: {@code send} and {@code receiveOrNull} for every value. Each is a
 *       checkpoint, so each value costs the producer a schedule point (and the consumer one,
 *       or a park when the channel is empty).
 *   <li>{@code true}: {@code trySend} and {@code tryReceive} first, falling back to the
 *       blocking call only when the channel is full or empty: a task switches only when it
 *       must, as a thread on a {@code BlockingQueue} does.
 * </ul>
 * The values are preallocated boxes, so the transfer allocates nothing per value except a
 * queue node when a task blocks. A subject may be run again, one run at a time.
 *
 * <p>{@link dev.weft.bench.ChannelBenchmark} runs the woven copy as the main task of a run;
 * {@link dev.weft.bench.QueueThreads} is the same pair for virtual threads.
 */
public final class ChannelTransfer implements AsyncCallable<Object> {
    private static final Integer[] VALUES = new Integer[1024];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = i + 1000;
        }
    }

    private final int messages;
    private final int capacity;
    private final boolean tryFirst;
    /** The consumer's sum. Written by the consumer, read by the main task once both have ended. */
    private long sum;

    /**
     * @param messages values to send, at least 0
     * @param capacity the channel's capacity (0: rendezvous)
     * @param tryFirst whether to try the non-blocking calls first
     */
    public ChannelTransfer(int messages, int capacity, boolean tryFirst) {
        if (messages < 0) {
            throw new IllegalArgumentException("messages must be >= 0, was " + messages);
        }
        this.messages = messages;
        this.capacity = capacity;
        this.tryFirst = tryFirst;
    }

    /** The sum the consumer should get for {@code messages} values. @param messages the count @return the sum */
    public static long expectedSum(int messages) {
        long s = 0;
        for (int i = 0; i < messages; i++) {
            s += VALUES[i & 1023];
        }
        return s;
    }

    @Override
    @Async
    public Object call() {
        MemoryChannel<Integer> ch = MemoryChannel.open(capacity);
        sum = 0;
        Nursery.open(n -> {
            if (tryFirst) {
                n.startSoon(() -> produceTryFirst(ch.sender()));
                n.startSoon(() -> consumeTryFirst(ch.receiver()));
            } else {
                n.startSoon(() -> produce(ch.sender()));
                n.startSoon(() -> consume(ch.receiver()));
            }
        });
        return sum;
    }

    @Async
    void produce(MemorySendChannel<Integer> tx) {
        for (int i = 0; i < messages; i++) {
            tx.send(VALUES[i & 1023]);
        }
        tx.close();
    }

    @Async
    void consume(MemoryReceiveChannel<Integer> rx) {
        long s = 0;
        for (Integer v; (v = rx.receiveOrNull()) != null; ) {
            s += v;
        }
        sum = s;
    }

    @Async
    void produceTryFirst(MemorySendChannel<Integer> tx) {
        for (int i = 0; i < messages; i++) {
            Integer v = VALUES[i & 1023];
            if (!tx.trySend(v)) {
                tx.send(v);
            }
        }
        tx.close();
    }

    @Async
    void consumeTryFirst(MemoryReceiveChannel<Integer> rx) {
        long s = 0;
        try {
            for (;;) {
                Integer v = rx.tryReceive();
                if (v == null) {
                    v = rx.receiveOrNull();
                    if (v == null) {
                        break;
                    }
                }
                s += v;
            }
        } catch (EndOfChannelException end) {
            // tryReceive found the channel drained and closed: the one exception per run.
        }
        sum = s;
    }
}
