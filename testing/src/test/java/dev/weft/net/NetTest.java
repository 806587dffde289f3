package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.BusyResourceException;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dev.weft.net} over loopback: echo, many connections, cancellation and closing. The
 * tests use the system clock, since the run waits for real I/O, and never sleep: they order
 * tasks with {@code waitAllTasksBlocked}.
 */
class NetTest {

    private static final String LOOPBACK = "127.0.0.1";

    /** Echoes every byte back, then sends the end of stream when the client has. */
    @Async
    static void echo(SocketStream s) {
        for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
            s.sendAll(b);
        }
        s.sendEof();
    }

    /** Receives until the end of stream. */
    @Async
    static byte[] receiveAll(SocketStream s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /** Sends {@code text}, sends the end of stream, and returns what came back. */
    @Async
    static String roundTrip(int port, String text) throws IOException {
        SocketStream c = Net.openTcpStream(LOOPBACK, port);
        try {
            c.sendAll(text.getBytes(StandardCharsets.UTF_8));
            c.sendEof();
            return new String(receiveAll(c), StandardCharsets.UTF_8);
        } finally {
            c.close();
        }
    }

    /** A connected pair: {@code [client, server]}. */
    @Async
    static SocketStream[] pair() throws IOException {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        try {
            SocketStream client = Net.openTcpStream(LOOPBACK, l.localAddress().getPort());
            SocketStream server = l.accept();
            return new SocketStream[] {client, server};
        } finally {
            l.close();
        }
    }

    @WeftTest
    @Async
    void serveTcp_echoHandler_echoesWhatTheClientSent() throws Exception {
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, LOOPBACK, NetTest::echo, status));
            int port = ls.get(0).localAddress().getPort();
            assertEquals("hello, weft", roundTrip(port, "hello, weft"));
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void serveTcp_200ConcurrentClients_echoesEachItsOwnText() throws Exception {
        int clients = 200;
        String[] answers = new String[clients];
        Nursery.open(server -> {
            List<TcpListener> ls = server.start(status -> Net.serveTcp(0, LOOPBACK, NetTest::echo, status));
            int port = ls.get(0).localAddress().getPort();
            Nursery.open(n -> {
                for (int i = 0; i < clients; i++) {
                    int k = i;
                    n.startSoon("client-" + k, () -> answers[k] = roundTrip(port, "client " + k + " says hi"));
                }
            });
            server.cancelScope().cancel();
        });
        for (int i = 0; i < clients; i++) {
            assertEquals("client " + i + " says hi", answers[i]);
        }
    }

    @WeftTest
    @Async
    void receiveSome_scopeCancelledWhileBlocked_throwsCancelledAndLosesNoByte() throws Exception {
        SocketStream[] p = pair();
        SocketStream client = p[0];
        SocketStream server = p[1];
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("receiver", () -> {
                scope.run(() -> {
                    server.receiveSome(100);
                    log.add("received");
                });
                log.add("cancelled caught: " + scope.cancelledCaught());
            });
            Testing.waitAllTasksBlocked();
            log.add("cancelling");
            scope.cancel();
        });
        assertEquals(List.of("cancelling", "cancelled caught: true"), log);
        client.sendAll(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, server.receiveSome(100));
        client.close();
        server.close();
    }

    @WeftTest
    @Async
    void receiveSome_afterPeerSendEof_returnsEmptyButSendsGoOn() throws Exception {
        SocketStream[] p = pair();
        p[0].sendAll(new byte[] {7});
        p[0].sendEof();
        assertArrayEquals(new byte[] {7}, receiveExactly(p[1], 1));
        assertEquals(0, p[1].receiveSome(10).length);
        assertEquals(-1, p[1].receive(new byte[4]));
        p[1].sendAll(new byte[] {8, 9});
        p[1].close();
        assertArrayEquals(new byte[] {8, 9}, receiveAll(p[0]));
        assertThrows(ClosedResourceException.class, () -> p[0].sendAll(new byte[] {1}));
        p[0].close();
    }

    @Async
    static byte[] receiveExactly(SocketStream s, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            byte[] b = s.receiveSome(n - out.size());
            assertTrue(b.length > 0, "end of stream after " + out.size() + " of " + n + " bytes");
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    @WeftTest
    @Async
    void receiveAndSend_closedStream_throwClosedResourceException() throws Exception {
        SocketStream[] p = pair();
        p[0].close();
        p[0].close();
        assertThrows(ClosedResourceException.class, () -> p[0].receiveSome(1));
        assertThrows(ClosedResourceException.class, () -> p[0].sendAll(new byte[] {1}));
        assertThrows(ClosedResourceException.class, () -> p[0].sendEof());
        assertEquals(0, p[1].receiveSome(1).length);
        p[1].close();
    }

    @WeftTest
    @Async
    void receiveSome_streamClosedByAnotherTaskWhileBlocked_throwsClosedResourceException() throws Exception {
        SocketStream[] p = pair();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("receiver", () -> {
                assertThrows(ClosedResourceException.class, () -> p[1].receiveSome(1));
                log.add("receiver saw the close");
            });
            Testing.waitAllTasksBlocked();
            log.add("closing");
            p[1].close();
        });
        assertEquals(List.of("closing", "receiver saw the close"), log);
        p[0].close();
    }

    @WeftTest
    @Async
    void receiveSome_secondReceiverWhileOneIsBlocked_throwsBusyResourceException() throws Exception {
        SocketStream[] p = pair();
        Nursery.open(n -> {
            n.startSoon("first", () -> p[1].receiveSome(1));
            Testing.waitAllTasksBlocked();
            assertThrows(BusyResourceException.class, () -> p[1].receiveSome(1));
            p[0].sendAll(new byte[] {1});
        });
        p[0].close();
        p[1].close();
    }

    @WeftTest
    @Async
    void accept_listenerClosedByAnotherTaskWhileBlocked_throwsClosedResourceException() throws Exception {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("acceptor", () -> {
                assertThrows(ClosedResourceException.class, () -> l.accept());
                log.add("acceptor saw the close");
            });
            Testing.waitAllTasksBlocked();
            l.close();
        });
        assertEquals(List.of("acceptor saw the close"), log);
        assertThrows(ClosedResourceException.class, () -> l.accept());
    }

    @WeftTest
    @Async
    void openTcpStream_nobodyListening_throwsConnectException() throws Exception {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        int port = l.localAddress().getPort();
        l.close();
        ConnectException e = assertThrows(ConnectException.class, () -> Net.openTcpStream(LOOPBACK, port));
        assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
    }

    @WeftTest
    @Async
    void openTcpStream_localhostWithListenerOnIpv4Only_connects() throws Exception {
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, LOOPBACK, NetTest::echo, status));
            int port = ls.get(0).localAddress().getPort();
            SocketStream c = Net.openTcpStream("localhost", port);
            c.sendAll(new byte[] {42});
            c.sendEof();
            assertArrayEquals(new byte[] {42}, receiveAll(c));
            c.close();
            n.cancelScope().cancel();
        });
    }

    /** A loopback address where nothing listens on the test's port (the listener is bound to 127.0.0.1 only). */
    private static final byte[] OTHER_LOOPBACK = {127, 0, 0, 2};

    /** Connects to {@code addresses} in order with the production sockets, through {@link Net}'s seam. */
    @Async
    static SocketStream connectTo(int port, InetAddress... addresses) throws IOException {
        return new SocketStream(Net.openTcpStream("test.invalid", port, Net.HAPPY_EYEBALLS_DELAY,
                host -> List.of(addresses), Net.tcpSockets(null), Net::connect));
    }

    @WeftTest
    @Async
    void openTcpStream_firstAddressRefused_connectsThroughTheNext() throws Exception {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        int port = l.localAddress().getPort();
        SocketStream c = connectTo(port, InetAddress.getByAddress(OTHER_LOOPBACK), InetAddress.getByName(LOOPBACK));
        SocketStream s = l.accept();
        assertEquals(LOOPBACK, c.remoteAddress().getAddress().getHostAddress());
        assertTrue(c.channel().getOption(StandardSocketOptions.TCP_NODELAY));
        c.sendAll(new byte[] {5});
        assertArrayEquals(new byte[] {5}, s.receiveSome(1));
        c.close();
        s.close();
        l.close();
    }

    @WeftTest
    @Async
    void openTcpStream_everyAddressRefused_throwsTheFirstFailureWithTheOthersSuppressed() throws Exception {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        int port = l.localAddress().getPort();
        l.close();
        InetAddress[] addresses = {InetAddress.getByAddress(OTHER_LOOPBACK), InetAddress.getByName(LOOPBACK)};
        ConnectException e = assertThrows(ConnectException.class, () -> connectTo(port, addresses));
        assertEquals(1, e.getSuppressed().length, e.toString());
    }

    @WeftTest
    @Async
    void openTcpStream_localAddress_bindsTheClientSocketToIt() throws Exception {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        int port = l.localAddress().getPort();
        InetAddress local = InetAddress.getByAddress(OTHER_LOOPBACK);
        SocketStream c = Net.openTcpStream(LOOPBACK, port, local);
        SocketStream s = l.accept();
        assertEquals(local, c.localAddress().getAddress());
        assertEquals(local, s.remoteAddress().getAddress());
        assertTrue(c.channel().getOption(StandardSocketOptions.TCP_NODELAY));
        c.close();
        s.close();
        l.close();
    }

    @WeftTest
    @Async
    void openTcpStream_localAddressOfTheOtherFamily_failsWithSocketException() throws Exception {
        TcpListener l = Net.openTcpListeners(0, LOOPBACK).get(0);
        int port = l.localAddress().getPort();
        SocketException e = assertThrows(SocketException.class,
                () -> Net.openTcpStream(LOOPBACK, port, InetAddress.getByName("::1")));
        assertTrue(e.getMessage().contains("the address families differ"), e.getMessage());
        l.close();
    }
}
