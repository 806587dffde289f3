package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.AsyncCallable;
import dev.weft.BrokenResourceException;
import dev.weft.BusyResourceException;
import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.stream.AsyncResource;
import dev.weft.stream.HalfCloseableStream;
import dev.weft.stream.ReceiveStream;
import dev.weft.stream.SendStream;
import dev.weft.stream.Stream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.opentest4j.AssertionFailedError;

/**
 * Conformance suites for stream implementations: Trio's {@code check_one_way_stream},
 * {@code check_two_way_stream} and {@code check_half_closeable_stream} from
 * {@code trio/testing/_check_streams.py}. Each suite calls the factory for a fresh, connected
 * pair per check, runs the check, and closes both ends; a broken rule fails with an
 * {@link AssertionFailedError} (inside a {@link dev.weft.FailureGroup} when it failed in a
 * child task).
 * {@snippet :
 * @WeftTest
 * @Async
 * void memoryStreamPair_passesHalfCloseableChecks() throws Exception {
 *     StreamChecks.checkHalfCloseableStream(MemoryStreams::memoryStreamPair);
 * }
 * }
 *
 * <h2>What is checked</h2>
 * <ul>
 *   <li>Bytes sent as arrays, slices, heap and direct {@link ByteBuffer}s arrive in order; an
 *       empty send is fine; {@code receiveSome(maxBytes)} returns at most {@code maxBytes}.
 *   <li>Sends, receives and {@code waitSendAllMightNotBlock} are checkpoints.
 *   <li>Two tasks sending at once, or receiving at once: one gets
 *       {@link BusyResourceException}.
 *   <li>After {@code close()}: {@link ClosedResourceException} on that end, also for a
 *       receive blocked when another task closed it; close is idempotent. The receiver of a
 *       closed sender gets the bytes, then the end of the stream, again and again. A sender
 *       whose receiver closed eventually gets {@link BrokenResourceException}, and keeps
 *       getting it.
 *   <li>A cancelled blocked receive loses nothing, and the stream stays usable.
 *   <li>Two-way: both one-way suites, in both directions, and a large transfer in both
 *       directions at once. Half-closeable: {@code sendEof()} ends one direction only.
 *   <li>Clogged pairs, with the two-argument suites only. A clogged pair is a connected pair
 *       in which {@code first.sendAll} of even a few bytes blocks until {@code second}
 *       receives: lockstep pairs ({@link MemoryStreams#lockstepStreamPair()}) as made, a TCP
 *       pair once both socket buffers are full. Each check takes a fresh one and closes both
 *       ends forcefully (inside a cancelled scope) afterwards.
 *       <ul>
 *         <li>{@code waitSendAllMightNotBlock} is a checkpoint that blocks until the receiver
 *             starts receiving: the events happen in the order "waiter sleeping", "receiver
 *             starting", "waiter woke up".
 *         <li>{@link BusyResourceException} for one of two simultaneous
 *             {@code waitSendAllMightNotBlock}s, of a {@code waitSendAllMightNotBlock} and a
 *             {@code sendAll} at once, and of two blocked {@code sendAll}s.
 *         <li>Closing the receiver wakes a blocked {@code waitSendAllMightNotBlock}, which
 *             returns or throws {@link BrokenResourceException}; called after the receiver
 *             closed, it does the same.
 *         <li>Closing the sender from another task makes a blocked {@code sendAll} or
 *             {@code waitSendAllMightNotBlock} throw {@link ClosedResourceException}.
 *         <li>A cancelled blocked {@code sendAll} throws {@link dev.weft.Cancelled} (the
 *             stream may be unusable afterwards).
 *         <li>Two-way: all of these in both directions. Half-closeable: {@code sendEof()}
 *             while another task's {@code sendAll} or {@code waitSendAllMightNotBlock} is
 *             blocked throws {@link BusyResourceException}, at either end.
 *       </ul>
 * </ul>
 *
 * <p>The checks never sleep; they need streams that work under one run, with real I/O if need
 * be (the checks of a TCP pair wait for loopback traffic). A clogged check that waits for
 * something the peer causes over real I/O (a wait woken by the receiver, or by its close)
 * first lets all tasks block; only if the outcome is still missing does it allow up to about
 * a second of real idleness for the kernel's news before it fails, so a stream that behaves
 * costs no time and a broken one fails instead of hanging.
 *
 * <p>All suites are checkpoints and must run inside a run (a {@link WeftTest}).
 */
public final class StreamChecks {
    private static final byte[] HELLO = {'h', 'e', 'l', 'l', 'o'};

    private StreamChecks() {
    }

    // ---------------------------------------------------------------- suites

    /**
     * Runs the one-way suite: {@code first} of each pair sends, {@code second} receives. Runs
     * no clogged checks; see {@link #checkOneWayStream(AsyncCallable, AsyncCallable)}.
     *
     * @param factory makes a fresh, connected pair on each call
     * @throws Exception what the factory threw
     * @throws AssertionFailedError if the streams break a rule
     */
    @Async
    public static void checkOneWayStream(
            AsyncCallable<? extends StreamPair<? extends SendStream, ? extends ReceiveStream>> factory) throws Exception {
        oneWay(factory, null);
    }

    /**
     * Runs the one-way suite on pairs from {@code factory}, then the clogged checks on pairs
     * from {@code cloggedFactory}. A clogged pair is a connected pair in which
     * {@code first.sendAll} of even a few bytes blocks until {@code second} receives (and
     * {@code first.waitSendAllMightNotBlock} blocks until then too): a lockstep pair
     * ({@link MemoryStreams#lockstepStreamOneWayPair()}) is clogged as made, a TCP pair once
     * both socket buffers are full.
     *
     * @param factory makes a fresh, connected pair on each call
     * @param cloggedFactory makes a fresh, clogged pair on each call
     * @throws Exception what a factory threw
     * @throws AssertionFailedError if the streams break a rule
     */
    @Async
    public static void checkOneWayStream(
            AsyncCallable<? extends StreamPair<? extends SendStream, ? extends ReceiveStream>> factory,
            AsyncCallable<? extends StreamPair<? extends SendStream, ? extends ReceiveStream>> cloggedFactory)
            throws Exception {
        oneWay(factory, Objects.requireNonNull(cloggedFactory, "cloggedFactory"));
    }

    /**
     * Runs the one-way suite in both directions, then sends a large amount both ways at once.
     * Runs no clogged checks; see {@link #checkTwoWayStream(AsyncCallable, AsyncCallable)}.
     *
     * @param factory makes a fresh, connected pair on each call
     * @throws Exception what the factory threw
     * @throws AssertionFailedError if the streams break a rule
     */
    @Async
    public static void checkTwoWayStream(
            AsyncCallable<? extends StreamPair<? extends Stream, ? extends Stream>> factory) throws Exception {
        twoWay(factory, null);
    }

    /**
     * Runs {@link #checkTwoWayStream(AsyncCallable)}, and the clogged checks in both
     * directions: from {@code first} to {@code second} of each clogged pair, then from
     * {@code second} to {@code first}. A clogged two-way pair is clogged both ways: either
     * end's {@code sendAll} of even a few bytes blocks until the other end receives (a
     * {@link MemoryStreams#lockstepStreamPair()}, or a TCP pair whose buffers are full in both
     * directions).
     *
     * @param factory makes a fresh, connected pair on each call
     * @param cloggedFactory makes a fresh pair, clogged in both directions, on each call
     * @throws Exception what a factory threw
     * @throws AssertionFailedError if the streams break a rule
     */
    @Async
    public static void checkTwoWayStream(
            AsyncCallable<? extends StreamPair<? extends Stream, ? extends Stream>> factory,
            AsyncCallable<? extends StreamPair<? extends Stream, ? extends Stream>> cloggedFactory) throws Exception {
        twoWay(factory, Objects.requireNonNull(cloggedFactory, "cloggedFactory"));
    }

    /**
     * Runs the two-way suite, then checks {@link HalfCloseableStream#sendEof()}. Runs no
     * clogged checks; see {@link #checkHalfCloseableStream(AsyncCallable, AsyncCallable)}.
     *
     * @param factory makes a fresh, connected pair on each call
     * @throws Exception what the factory threw
     * @throws AssertionFailedError if the streams break a rule
     */
    @Async
    public static void checkHalfCloseableStream(
            AsyncCallable<? extends StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream>> factory)
            throws Exception {
        twoWay(factory, null);
        sendEof_endsOneDirectionOnly(factory.call());
    }

    /**
     * Runs {@link #checkTwoWayStream(AsyncCallable, AsyncCallable)} and the
     * {@link HalfCloseableStream#sendEof()} checks, then checks on clogged pairs that
     * {@code sendEof()} while another task's {@code sendAll} or
     * {@code waitSendAllMightNotBlock} is blocked throws {@link BusyResourceException}, at
     * either end. A
     * clogged pair is clogged in both directions, as for
     * {@link #checkTwoWayStream(AsyncCallable, AsyncCallable)}.
     *
     * @param factory makes a fresh, connected pair on each call
     * @param cloggedFactory makes a fresh pair, clogged in both directions, on each call
     * @throws Exception what a factory threw
     * @throws AssertionFailedError if the streams break a rule
     */
    @Async
    public static void checkHalfCloseableStream(
            AsyncCallable<? extends StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream>> factory,
            AsyncCallable<? extends StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream>> cloggedFactory)
            throws Exception {
        Objects.requireNonNull(cloggedFactory, "cloggedFactory");
        twoWay(factory, cloggedFactory);
        sendEof_endsOneDirectionOnly(factory.call());
        CloggedStreamChecks.checkHalfCloseable(cloggedFactory);
        CloggedStreamChecks.checkHalfCloseable(() -> flipped(cloggedFactory.call()));
    }

    /** The one-way suite, and the clogged checks if {@code cloggedFactory} is not null. */
    @Async
    private static void oneWay(
            AsyncCallable<? extends StreamPair<? extends SendStream, ? extends ReceiveStream>> factory,
            AsyncCallable<? extends StreamPair<? extends SendStream, ? extends ReceiveStream>> cloggedFactory)
            throws Exception {
        roundTrips(factory.call());
        checkpoints(factory.call());
        concurrentSends_oneIsBusy(factory.call());
        concurrentReceives_oneIsBusy(factory.call());
        closedEnds_throwClosed(factory.call());
        senderClosed_receiverGetsBytesThenEnd(factory.call());
        receiverClosed_senderEventuallyBroken(factory.call());
        blockedReceive_closedByAnotherTask_throwsClosed(factory.call());
        blockedReceive_cancelled_streamStaysUsable(factory.call());
        if (cloggedFactory != null) {
            CloggedStreamChecks.checkOneWay(cloggedFactory);
        }
    }

    /** The two-way suite, and the clogged checks both ways if {@code cloggedFactory} is not null. */
    @Async
    private static void twoWay(
            AsyncCallable<? extends StreamPair<? extends Stream, ? extends Stream>> factory,
            AsyncCallable<? extends StreamPair<? extends Stream, ? extends Stream>> cloggedFactory) throws Exception {
        oneWay(factory, cloggedFactory);
        oneWay(() -> flipped(factory.call()), cloggedFactory == null ? null : () -> flipped(cloggedFactory.call()));
        bothWaysAtOnce(factory.call());
        closedPeer_receiveGetsEnd(factory.call());
    }

    private static <A extends AsyncResource, B extends AsyncResource> StreamPair<B, A> flipped(StreamPair<A, B> p) {
        return new StreamPair<>(p.second(), p.first());
    }

    // ---------------------------------------------------------------- one-way checks

    @Async
    private static void roundTrips(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            byte[] slice = {0, 'a', 'b', 'c', 0};
            ByteBuffer heap = ByteBuffer.wrap(new byte[] {0, 'd', 'e'}, 1, 2);
            ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {'f', 'g', 'h'}).flip();
            Nursery.open(n -> {
                n.startSoon("sender", () -> {
                    s.sendAll(HELLO);
                    s.sendAll(new byte[0]);
                    s.sendAll(slice, 1, 3);
                    s.sendAll(heap);
                    s.sendAll(direct);
                });
                assertArrayEquals(HELLO, receiveExactly(r, 5), "sendAll(byte[])");
                assertArrayEquals(new byte[] {'a', 'b', 'c'}, receiveExactly(r, 3), "sendAll(byte[], off, len)");
                assertArrayEquals(new byte[] {'d', 'e', 'f', 'g', 'h'}, receiveExactly(r, 5), "sendAll(ByteBuffer)");
            });
            assertEquals(0, heap.remaining(), "sendAll(ByteBuffer) leaves the position at the limit");
            assertEquals(0, direct.remaining(), "sendAll(ByteBuffer) leaves the position at the limit");
            Nursery.open(n -> {
                n.startSoon("sender", () -> s.sendAll(new byte[] {1, 2, 3}));
                byte[] one = r.receiveSome(1);
                assertEquals(1, one.length, "receiveSome(1) returned more than 1 byte");
                assertArrayEquals(new byte[] {1}, one);
                assertArrayEquals(new byte[] {2, 3}, receiveExactly(r, 2));
            });
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void checkpoints(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            Nursery.open(n -> {
                n.startSoon("sender", () -> {
                    Testing.assertCheckpoints(() -> s.sendAll(HELLO));
                    Testing.assertCheckpoints(() -> s.sendAll(new byte[0]));
                });
                Testing.assertCheckpoints(() -> receiveExactly(r, 5));
            });
            Nursery.open(n -> {
                n.startSoon("receiver", () -> r.receiveSome(1));
                Testing.assertCheckpoints(s::waitSendAllMightNotBlock);
                n.cancelScope().cancel();
            });
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void concurrentSends_oneIsBusy(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            int[] busy = {0};
            Nursery.open(n -> {
                for (int i = 0; i < 2; i++) {
                    n.startSoon("sender-" + i, () -> {
                        try {
                            s.sendAll(HELLO);
                        } catch (BusyResourceException e) {
                            busy[0]++;
                            n.cancelScope().cancel();
                        }
                    });
                }
                Testing.waitAllTasksBlocked();
                n.cancelScope().cancel();
            });
            assertEquals(1, busy[0], "two tasks sent at once, but BusyResourceException was thrown " + busy[0] + " times");
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void concurrentReceives_oneIsBusy(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        ReceiveStream r = p.second();
        try {
            int[] busy = {0};
            Nursery.open(n -> {
                for (int i = 0; i < 2; i++) {
                    n.startSoon("receiver-" + i, () -> {
                        try {
                            r.receiveSome(10);
                        } catch (BusyResourceException e) {
                            busy[0]++;
                            n.cancelScope().cancel();
                        }
                    });
                }
                Testing.waitAllTasksBlocked();
                n.cancelScope().cancel();
            });
            assertEquals(1, busy[0], "two tasks received at once, but BusyResourceException was thrown " + busy[0] + " times");
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void closedEnds_throwClosed(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        p.closeBoth();
        Testing.assertCheckpoints(s::close);
        Testing.assertCheckpoints(r::close);
        Testing.assertThrows(ClosedResourceException.class, () -> s.sendAll(HELLO));
        Testing.assertThrows(ClosedResourceException.class, () -> s.sendAll(new byte[0]));
        Testing.assertThrows(ClosedResourceException.class, s::waitSendAllMightNotBlock);
        Testing.assertThrows(ClosedResourceException.class, () -> r.receiveSome(10));
        Testing.assertThrows(ClosedResourceException.class, () -> r.receive(new byte[10]));
    }

    @Async
    private static void senderClosed_receiverGetsBytesThenEnd(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            Nursery.open(n -> {
                n.startSoon("sender", () -> {
                    s.sendAll(HELLO);
                    s.close();
                });
                assertArrayEquals(HELLO, receiveExactly(r, 5));
                assertArrayEquals(new byte[0], r.receiveSome(10), "receiveSome after the sender closed");
                assertArrayEquals(new byte[0], r.receiveSome(10), "receiveSome again at the end of the stream");
                assertEquals(-1, r.receive(new byte[10]), "receive at the end of the stream");
            });
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void receiverClosed_senderEventuallyBroken(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            Nursery.open(n -> {
                n.startSoon("sender", () -> Testing.assertThrows(BrokenResourceException.class, () -> {
                    byte[] chunk = new byte[100];
                    while (true) {
                        s.sendAll(chunk);
                    }
                }));
                n.startSoon("closer", r::close);
            });
            Testing.assertThrows(BrokenResourceException.class, () -> s.sendAll(new byte[100]));
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void blockedReceive_closedByAnotherTask_throwsClosed(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        ReceiveStream r = p.second();
        try {
            List<String> log = new ArrayList<>();
            Nursery.open(n -> {
                n.startSoon("receiver", () -> {
                    Testing.assertThrows(ClosedResourceException.class, () -> r.receiveSome(10));
                    log.add("receiver got ClosedResourceException");
                });
                Testing.waitAllTasksBlocked();
                log.add("closing");
                r.close();
            });
            assertEquals(List.of("closing", "receiver got ClosedResourceException"), log);
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void blockedReceive_cancelled_streamStaysUsable(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            CancelScope scope = new CancelScope();
            List<String> log = new ArrayList<>();
            Nursery.open(n -> {
                n.startSoon("receiver", () -> {
                    scope.run(() -> {
                        r.receiveSome(10);
                        log.add("received");
                    });
                    log.add("cancelled caught: " + scope.cancelledCaught());
                });
                Testing.waitAllTasksBlocked();
                log.add("cancelling");
                scope.cancel();
            });
            assertEquals(List.of("cancelling", "cancelled caught: true"), log);
            Nursery.open(n -> {
                n.startSoon("sender", () -> s.sendAll(HELLO));
                assertArrayEquals(HELLO, receiveExactly(r, 5), "receive after a cancelled receive");
            });
        } finally {
            p.closeBoth();
        }
    }

    // ---------------------------------------------------------------- two-way checks

    @Async
    private static void bothWaysAtOnce(StreamPair<? extends Stream, ? extends Stream> p) {
        Stream a = p.first();
        Stream b = p.second();
        try {
            byte[] toB = randomBytes(1, 200_000);
            byte[] toA = randomBytes(2, 150_000);
            byte[][] got = new byte[2][];
            Nursery.open(n -> {
                n.startSoon("a-sends", () -> sendInChunks(a, toB, 3));
                n.startSoon("b-sends", () -> sendInChunks(b, toA, 4));
                n.startSoon("a-receives", () -> got[0] = receiveExactly(a, toA.length));
                n.startSoon("b-receives", () -> got[1] = receiveExactly(b, toB.length));
            });
            assertArrayEquals(toA, got[0], "bytes b sent to a");
            assertArrayEquals(toB, got[1], "bytes a sent to b");
        } finally {
            p.closeBoth();
        }
    }

    @Async
    private static void closedPeer_receiveGetsEnd(StreamPair<? extends Stream, ? extends Stream> p) {
        Stream a = p.first();
        Stream b = p.second();
        try {
            a.close();
            assertArrayEquals(new byte[0], b.receiveSome(10), "receiveSome after the peer closed");
        } finally {
            p.closeBoth();
        }
    }

    // ---------------------------------------------------------------- half-closeable checks

    @Async
    private static void sendEof_endsOneDirectionOnly(
            StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream> p) {
        HalfCloseableStream a = p.first();
        HalfCloseableStream b = p.second();
        try {
            Nursery.open(n -> {
                n.startSoon("a", () -> {
                    a.sendAll(HELLO);
                    Testing.assertCheckpoints(a::sendEof);
                    Testing.assertCheckpoints(a::sendEof);
                    Testing.assertThrows(ClosedResourceException.class, () -> a.sendAll(HELLO));
                    Testing.assertThrows(ClosedResourceException.class, a::waitSendAllMightNotBlock);
                    assertArrayEquals(new byte[] {'b', 'y', 'e'}, receiveExactly(a, 3), "a receives after its sendEof");
                    assertArrayEquals(new byte[0], a.receiveSome(10), "a at the end after b's sendEof");
                });
                assertArrayEquals(HELLO, receiveExactly(b, 5));
                assertArrayEquals(new byte[0], b.receiveSome(10), "b after a's sendEof");
                b.sendAll(new byte[] {'b', 'y', 'e'});
                b.sendEof();
            });
        } finally {
            p.closeBoth();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Receives exactly {@code n} bytes, failing at a premature end of the stream. */
    @Async
    private static byte[] receiveExactly(ReceiveStream r, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        while (out.size() < n) {
            byte[] b = r.receiveSome(Math.min(65_536, n - out.size()));
            if (b.length == 0) {
                throw new AssertionFailedError("expected " + n + " bytes, but the stream ended after " + out.size());
            }
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /** Sends {@code data} in chunks of random sizes. */
    @Async
    private static void sendInChunks(SendStream s, byte[] data, long seed) {
        Random random = new Random(seed);
        int off = 0;
        while (off < data.length) {
            int len = Math.min(data.length - off, 1 + random.nextInt(20_000));
            s.sendAll(data, off, len);
            off += len;
        }
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

}
