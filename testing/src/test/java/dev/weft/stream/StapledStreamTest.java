package dev.weft.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.ClosedResourceException;
import dev.weft.annotation.Async;
import dev.weft.testing.MemoryStreams;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.nio.ByteBuffer;

/** {@link StapledStream}: the conformance suite, and how it delegates. */
class StapledStreamTest {

    /** Staples two buffered one-way pairs crosswise, by hand. */
    static StreamPair<StapledStream, StapledStream> stapledPair() {
        StreamPair<SendStream, ReceiveStream> there = MemoryStreams.memoryStreamOneWayPair();
        StreamPair<SendStream, ReceiveStream> back = MemoryStreams.lockstepStreamOneWayPair();
        return new StreamPair<>(new StapledStream(there.first(), back.second()),
                new StapledStream(back.first(), there.second()));
    }

    @WeftTest
    @Async
    void stapledOneWayPairs_passHalfCloseableChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(StapledStreamTest::stapledPair);
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
