package dev.weft.testing;

import dev.weft.stream.HalfCloseableStream;
import dev.weft.stream.ReceiveStream;
import dev.weft.stream.SendStream;
import dev.weft.stream.StapledStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory streams for tests: Trio's {@code memory_stream_pair} and
 * {@code lockstep_stream_pair} from {@code trio.testing}. They follow every rule of
 * {@link SendStream} and {@link ReceiveStream} (checkpoints, busy, closed and broken
 * states), pass {@link StreamChecks}, and need no I/O, so tests of protocol code run fast
 * and deterministically.
 * {@snippet :
 * StreamPair<HalfCloseableStream, HalfCloseableStream> p = MemoryStreams.memoryStreamPair();
 * p.first().sendAll("ping".getBytes(StandardCharsets.US_ASCII));
 * byte[] got = p.second().receiveSome(100);
 * }
 *
 * <h2>Two kinds</h2>
 * <ul>
 *   <li>Memory streams buffer without bound: a send returns once its bytes are queued.
 *   <li>Lockstep streams have no buffer: a send returns only once the receiver has taken
 *       all its bytes, and {@code waitSendAllMightNotBlock} returns only once a receive is
 *       waiting. Code that passes over lockstep streams does not rely on buffering (a
 *       protocol where both sides send before receiving deadlocks here, as it eventually
 *       would over TCP).
 * </ul>
 * A two-way pair is two one-way pairs stapled crosswise with {@link StapledStream}, so
 * {@code sendEof()} closes one direction only. Closing a receiving end makes the peer's
 * sends fail with {@link dev.weft.BrokenResourceException}.
 *
 * <h2>Clogged pairs</h2>
 * The clogged checks of {@link StreamChecks} need pairs in which a send of even a few bytes
 * blocks until the peer receives. Lockstep pairs are clogged as made, so
 * {@code MemoryStreams::lockstepStreamPair} (or {@code ::lockstepStreamOneWayPair}) is the
 * clogged factory for in-memory streams, as Trio's tests use {@code lockstep_stream_pair}.
 * A buffered pair cannot be clogged: its buffer has no bound, so a send never blocks.
 *
 * <p>The streams must be used from tasks of one run; making them needs no run.
 */
public final class MemoryStreams {
    private static final AtomicInteger IDS = new AtomicInteger();

    private MemoryStreams() {
    }

    /**
     * Makes a buffered one-way stream. Not a checkpoint.
     *
     * @return {@code (send end, receive end)}
     */
    public static StreamPair<SendStream, ReceiveStream> memoryStreamOneWayPair() {
        return oneWay(false);
    }

    /**
     * Makes a buffered two-way stream: two {@link #memoryStreamOneWayPair()}s stapled
     * crosswise. Not a checkpoint.
     *
     * @return the two ends, each the other's peer
     */
    public static StreamPair<HalfCloseableStream, HalfCloseableStream> memoryStreamPair() {
        return twoWay(false);
    }

    /**
     * Makes a lockstep one-way stream: a send completes only when the receiver has taken its
     * bytes. The pair is clogged as made (a send of even one byte blocks until the receiver
     * receives), so this is also a clogged factory for
     * {@link StreamChecks#checkOneWayStream(dev.weft.AsyncCallable, dev.weft.AsyncCallable)}.
     * Not a checkpoint.
     *
     * @return {@code (send end, receive end)}
     */
    public static StreamPair<SendStream, ReceiveStream> lockstepStreamOneWayPair() {
        return oneWay(true);
    }

    /**
     * Makes a lockstep two-way stream: two {@link #lockstepStreamOneWayPair()}s stapled
     * crosswise. The pair is clogged in both directions as made, so this is also a clogged
     * factory for
     * {@link StreamChecks#checkHalfCloseableStream(dev.weft.AsyncCallable, dev.weft.AsyncCallable)}.
     * Not a checkpoint.
     *
     * @return the two ends, each the other's peer
     */
    public static StreamPair<HalfCloseableStream, HalfCloseableStream> lockstepStreamPair() {
        return twoWay(true);
    }

    private static StreamPair<SendStream, ReceiveStream> oneWay(boolean lockstep) {
        MemoryPipe pipe = new MemoryPipe(lockstep, (lockstep ? "lockstep-" : "memory-") + IDS.incrementAndGet());
        return new StreamPair<>(new MemorySendStream(pipe), new MemoryReceiveStream(pipe));
    }

    private static StreamPair<HalfCloseableStream, HalfCloseableStream> twoWay(boolean lockstep) {
        StreamPair<SendStream, ReceiveStream> there = oneWay(lockstep);
        StreamPair<SendStream, ReceiveStream> back = oneWay(lockstep);
        return new StreamPair<>(new StapledStream(there.first(), back.second()),
                new StapledStream(back.first(), there.second()));
    }
}
