package dev.weft.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.BusyResourceException;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.testing.MemoryStreams;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** {@link StapledStream}: the conformance suite, and how it delegates. */
class StapledStreamTest {

    /** Staples two buffered one-way pairs crosswise, by hand. */
    static StreamPair<StapledStream, StapledStream> stapledPair() {
        StreamPair<SendStream, ReceiveStream> there = MemoryStreams.memoryStreamOneWayPair();
        StreamPair<SendStream, ReceiveStream> back = MemoryStreams.lockstepStreamOneWayPair();
        return new StreamPair<>(new StapledStream(there.first(), back.second()),
                new StapledStream(back.first(), there.second()));
    }

    /** Staples two lockstep one-way pairs crosswise, by hand: clogged in both directions. */
    static StreamPair<StapledStream, StapledStream> cloggedStapledPair() {
        StreamPair<SendStream, ReceiveStream> there = MemoryStreams.lockstepStreamOneWayPair();
        StreamPair<SendStream, ReceiveStream> back = MemoryStreams.lockstepStreamOneWayPair();
        return new StreamPair<>(new StapledStream(there.first(), back.second()),
                new StapledStream(back.first(), there.second()));
    }

    @WeftTest
    @Async
    void stapledOneWayPairs_passHalfCloseableChecksWithCloggedChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(StapledStreamTest::stapledPair, StapledStreamTest::cloggedStapledPair);
    }

    @WeftTest
    @Async
    void sendEof_plainSendStream_closesIt() {
        StreamPair<SendStream, ReceiveStream> there = MemoryStreams.memoryStreamOneWayPair();
        StreamPair<SendStream, ReceiveStream> back = MemoryStreams.memoryStreamOneWayPair();
        StapledStream s = new StapledStream(there.first(), back.second());
        assertSame(there.first(), s.sendStream());
        assertSame(back.second(), s.receiveStream());
        s.sendEof();
        assertEquals(0, there.second().receiveSome(10).length);
        Testing.assertThrows(ClosedResourceException.class, () -> there.first().sendAll(new byte[] {1}));
        s.close();
        there.second().close();
        back.first().close();
    }

    /**
     * Issue 7: the clogged checks found that {@code sendEof()} over a plain send stream closed
     * it under a blocked {@code sendAll} instead of throwing busy, as
     * {@link HalfCloseableStream#sendEof()} requires.
     */
    @WeftTest
    @Async
    void sendEof_plainSendStreamWhileSendAllBlocked_throwsBusy() {
        StreamPair<StapledStream, StapledStream> p = cloggedStapledPair();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("sender", () -> {
                p.first().sendAll(new byte[] {1, 2, 3});
                log.add("sent");
            });
            Testing.waitAllTasksBlocked();
            Testing.assertThrows(BusyResourceException.class, p.first()::sendEof);
            log.add("sendEof was busy");
            assertArrayEquals(new byte[] {1, 2, 3}, p.second().receiveSome(10));
        });
        assertEquals(List.of("sendEof was busy", "sent"), log);
        p.first().sendEof();
        assertEquals(0, p.second().receiveSome(10).length);
        p.closeBoth();
    }

    @WeftTest
    @Async
    void sendAll_byteBuffer_sendsFromPositionToLimit() {
        StreamPair<HalfCloseableStream, HalfCloseableStream> p = MemoryStreams.memoryStreamPair();
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        b.position(1).limit(4);
        p.first().sendAll(b);
        assertEquals(4, b.position());
        assertArrayEquals(new byte[] {2, 3, 4}, p.second().receiveSome(10));
        p.closeBoth();
    }
}
