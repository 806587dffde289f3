package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.BusyResourceException;
import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link UdpSocket} over loopback: round trips, connecting, cancellation, one receiver at a
 * time and closing. The tests use the system clock, since the run waits for real I/O, and
 * never sleep: they order tasks with {@code waitAllTasksBlocked}.
 */
class UdpTest {

    private static final String LOOPBACK = "127.0.0.1";

    static UdpSocket openLoopback() throws IOException {
        return Net.openUdpSocket(new InetSocketAddress(LOOPBACK, 0));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @WeftTest
    @Async
    void sendAndReceive_twoSocketsOnLoopback_roundTripWithSenderAddresses() throws Exception {
        UdpSocket a = openLoopback();
        UdpSocket b = openLoopback();
        try {
            a.send(ascii("ping"), b.localAddress());
            Datagram d = b.receive(1500);
            assertArrayEquals(ascii("ping"), d.data());
            assertEquals(a.localAddress(), d.sender());
            b.send(ByteBuffer.wrap(ascii("pong")), d.sender());
            Datagram back = a.receive(1500);
            assertArrayEquals(ascii("pong"), back.data());
            assertEquals(b.localAddress(), back.sender());
        } finally {
            a.close();
            b.close();
        }
    }

    @WeftTest
    @Async
    void receive_datagramLongerThanMaxBytes_returnsItsStartAndKeepsBoundaries() throws Exception {
        UdpSocket a = openLoopback();
        UdpSocket b = openLoopback();
        a.send(ascii("abcdef"), b.localAddress());
        a.send(ascii("xy"), b.localAddress());
        assertArrayEquals(ascii("abc"), b.receive(3).data());
        assertArrayEquals(ascii("xy"), b.receive(3).data());
        assertThrows(IllegalArgumentException.class, () -> b.receive(0));
        a.close();
        b.close();
    }

    @WeftTest
    @Async
    void send_connectedSocketWithoutTarget_reachesThePeer() throws Exception {
        UdpSocket a = openLoopback();
        UdpSocket b = openLoopback();
        assertNull(a.remoteAddress());
        assertThrows(IllegalStateException.class, () -> a.send(ascii("lost")));
        a.connect(b.localAddress());
        assertEquals(b.localAddress(), a.remoteAddress());
        a.send(ascii("hi"));
        Datagram d = b.receive(10);
        assertArrayEquals(ascii("hi"), d.data());
        assertEquals(a.localAddress(), d.sender());
        a.close();
        b.close();
    }

    @WeftTest
    @Async
    void receive_scopeCancelledWhileBlocked_throwsCancelledAndLosesNoDatagram() throws Exception {
        UdpSocket a = openLoopback();
        UdpSocket b = openLoopback();
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("receiver", () -> {
                scope.run(() -> {
                    b.receive(100);
                    log.add("received");
                });
                log.add("cancelled caught: " + scope.cancelledCaught());
            });
            Testing.waitAllTasksBlocked();
            log.add("cancelling");
            scope.cancel();
        });
        assertEquals(List.of("cancelling", "cancelled caught: true"), log);
        a.send(new byte[] {1, 2, 3}, b.localAddress());
        assertArrayEquals(new byte[] {1, 2, 3}, b.receive(100).data());
        a.close();
        b.close();
    }

    @WeftTest
    @Async
    void receive_secondReceiverWhileOneIsBlocked_throwsBusyResourceException() throws Exception {
        UdpSocket a = openLoopback();
        UdpSocket b = openLoopback();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("first", () -> log.add("first got " + b.receive(10).data().length + " bytes"));
            Testing.waitAllTasksBlocked();
            assertThrows(BusyResourceException.class, () -> b.receive(10));
            log.add("second refused");
            a.send(new byte[] {9}, b.localAddress());
        });
        assertEquals(List.of("second refused", "first got 1 bytes"), log);
        a.close();
        b.close();
    }

    @WeftTest
    @Async
    void sendAndReceive_closedSocket_throwClosedResourceException() throws Exception {
        UdpSocket a = openLoopback();
        SocketAddress somewhere = new InetSocketAddress(LOOPBACK, 9);
        a.close();
        a.close();
        assertThrows(ClosedResourceException.class, () -> a.receive(1));
        assertThrows(ClosedResourceException.class, () -> a.send(new byte[] {1}, somewhere));
        assertThrows(ClosedResourceException.class, () -> a.send(new byte[] {1}));
        assertThrows(ClosedResourceException.class, () -> a.localAddress());
        assertThrows(ClosedResourceException.class, () -> a.connect(somewhere));
    }

    @WeftTest
    @Async
    void receive_socketClosedByAnotherTaskWhileBlocked_throwsClosedResourceException() throws Exception {
        UdpSocket a = openLoopback();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("receiver", () -> {
                assertThrows(ClosedResourceException.class, () -> a.receive(1));
                log.add("receiver saw the close");
            });
            Testing.waitAllTasksBlocked();
            log.add("closing");
            a.close();
        });
        assertEquals(List.of("closing", "receiver saw the close"), log);
    }
}
