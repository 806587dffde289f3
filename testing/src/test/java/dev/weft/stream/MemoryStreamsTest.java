package dev.weft.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.testing.MemoryStreams;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.util.ArrayList;
import java.util.List;

/** {@link MemoryStreams}: the conformance suites, and what sets lockstep streams apart. */
class MemoryStreamsTest {

    @WeftTest
    @Async
    void memoryStreamOneWayPair_passesOneWayChecks() throws Exception {
        StreamChecks.checkOneWayStream(MemoryStreams::memoryStreamOneWayPair);
    }

    @WeftTest
    @Async
    void memoryStreamPair_passesHalfCloseableChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(MemoryStreams::memoryStreamPair);
    }

    @WeftTest
    @Async
    void lockstepStreamOneWayPair_passesOneWayChecksWithCloggedChecks() throws Exception {
        StreamChecks.checkOneWayStream(MemoryStreams::lockstepStreamOneWayPair, MemoryStreams::lockstepStreamOneWayPair);
    }

    @WeftTest
    @Async
    void lockstepStreamPair_passesHalfCloseableChecksWithCloggedChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(MemoryStreams::lockstepStreamPair, MemoryStreams::lockstepStreamPair);
    }

    @WeftTest
    @Async
    void sendAll_memoryStream_returnsBeforeAnyReceive() {
        StreamPair<SendStream, ReceiveStream> p = MemoryStreams.memoryStreamOneWayPair();
        p.first().sendAll(new byte[] {1, 2, 3});
        p.first().close();
        assertArrayEquals(new byte[] {1, 2, 3}, p.second().receiveSome(10));
        assertEquals(0, p.second().receiveSome(10).length);
        p.second().close();
    }

    @WeftTest
    @Async
    void sendAll_lockstepStream_returnsOnlyOnceTheReceiverTookTheBytes() {
        StreamPair<SendStream, ReceiveStream> p = MemoryStreams.lockstepStreamOneWayPair();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("sender", () -> {
                p.first().sendAll(new byte[] {1, 2, 3, 4});
                log.add("sent");
            });
            Testing.waitAllTasksBlocked();
            log.add("receiving 3");
            assertArrayEquals(new byte[] {1, 2, 3}, p.second().receiveSome(3));
            Testing.waitAllTasksBlocked();
            log.add("receiving 1");
            assertArrayEquals(new byte[] {4}, p.second().receiveSome(3));
            Testing.waitAllTasksBlocked();
        });
        assertEquals(List.of("receiving 3", "receiving 1", "sent"), log);
        p.closeBoth();
    }

    @WeftTest
    @Async
    void waitSendAllMightNotBlock_lockstepStream_waitsForAReceiver() {
        StreamPair<SendStream, ReceiveStream> p = MemoryStreams.lockstepStreamOneWayPair();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("waiter", () -> {
                p.first().waitSendAllMightNotBlock();
                log.add("might not block");
            });
            Testing.waitAllTasksBlocked();
            log.add("receiving");
            n.startSoon("receiver", () -> p.second().receiveSome(1));
            Testing.waitAllTasksBlocked();
            n.cancelScope().cancel();
        });
        assertEquals(List.of("receiving", "might not block"), log);
        p.closeBoth();
    }

    @WeftTest
    @Async
    void sendAll_lockstepSenderClosedByAnotherTask_throwsClosed() {
        StreamPair<SendStream, ReceiveStream> p = MemoryStreams.lockstepStreamOneWayPair();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("sender", () -> {
                Testing.assertThrows(ClosedResourceException.class, () -> p.first().sendAll(new byte[] {1}));
                log.add("sender got ClosedResourceException");
            });
            Testing.waitAllTasksBlocked();
            log.add("closing");
            p.first().close();
        });
        assertEquals(List.of("closing", "sender got ClosedResourceException"), log);
        p.closeBoth();
    }

    @WeftTest
    @Async
    void receive_cancelledLockstepSend_bytesStayQueued() {
        StreamPair<SendStream, ReceiveStream> p = MemoryStreams.lockstepStreamOneWayPair();
        Nursery.open(n -> {
            n.startSoon("sender", () -> p.first().sendAll(new byte[] {1, 2}));
            Testing.waitAllTasksBlocked();
            n.cancelScope().cancel();
        });
        assertArrayEquals(new byte[] {1, 2}, p.second().receiveSome(10));
        p.closeBoth();
    }
}
