package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.annotation.Async;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

/**
 * {@link Net#openTcpListeners}: {@code SO_REUSEADDR}, listening again on a port whose old
 * connections linger in {@code TIME_WAIT}, the dual-stack wildcard listener, and argument
 * checks. Trio's {@code test_highlevel_open_tcp_listeners.py}. Real sockets on loopback, so
 * the system clock.
 */
class TcpListenersTest {

    private static final String LOOPBACK = "127.0.0.1";

    @WeftTest
    @Async
    void openTcpListeners_anyOverload_setsSoReuseaddr() throws Exception {
        List<TcpListener> all = new java.util.ArrayList<>();
        all.addAll(Net.openTcpListeners(0));
        all.addAll(Net.openTcpListeners(0, 16));
        all.addAll(Net.openTcpListeners(0, LOOPBACK));
        all.addAll(Net.openTcpListeners(0, LOOPBACK, 16));
        assertEquals(4, all.size());
        for (TcpListener l : all) {
            assertTrue(l.channel().getOption(StandardSocketOptions.SO_REUSEADDR), l.toString());
            l.close();
        }
    }

    /**
     * The server side closes first, so the accepted socket (bound to the listening port) goes
     * to {@code TIME_WAIT}; without {@code SO_REUSEADDR}, binding the port again would fail with
     * "Address already in use" for a minute.
     */
    @WeftTest
    @Async
    void openTcpListeners_portOfAClosedListenerWithAConnectionInTimeWait_listensAgain() throws Exception {
        TcpListener first = Net.openTcpListeners(0, LOOPBACK).get(0);
        int port = first.localAddress().getPort();
        SocketStream client = Net.openTcpStream(LOOPBACK, port);
        SocketStream server = first.accept();
        server.sendAll(new byte[] {1});
        server.close();
        first.close();
        assertArrayEquals(new byte[] {1}, NetTest.receiveAll(client));
        client.close();
        try (ServerSocketChannel withoutReuse = ServerSocketChannel.open()) {
            withoutReuse.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            assertThrows(BindException.class,
                    () -> withoutReuse.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port)));
        }

        TcpListener again = Net.openTcpListeners(port, LOOPBACK).get(0);
        assertEquals(port, again.localAddress().getPort());
        SocketStream c2 = Net.openTcpStream(LOOPBACK, port);
        SocketStream s2 = again.accept();
        c2.sendAll(new byte[] {2});
        assertArrayEquals(new byte[] {2}, s2.receiveSome(1));
        c2.close();
        s2.close();
        again.close();
    }

    @WeftTest
    @Async
    void openTcpListeners_wildcard_acceptsFromIpv4AndIpv6Loopback() throws Exception {
        List<TcpListener> ls = Net.openTcpListeners(0);
        assertEquals(1, ls.size());
        TcpListener l = ls.get(0);
        int port = l.localAddress().getPort();
        assertTrue(l.localAddress().getAddress().isAnyLocalAddress(), l.toString());

        SocketStream c4 = Net.openTcpStream(LOOPBACK, port);
        SocketStream s4 = l.accept();
        assertEquals(InetAddress.getByName(LOOPBACK), c4.remoteAddress().getAddress());
        c4.sendAll(new byte[] {4});
        assertArrayEquals(new byte[] {4}, s4.receiveSome(1));
        c4.close();
        s4.close();

        try {
            assumeTrue(l.localAddress().getAddress() instanceof Inet6Address, "the JDK has no IPv6 here");
            assumeTrue(ipv6LoopbackWorks(), "::1 is not configured here");
            SocketStream c6 = Net.openTcpStream("::1", port);
            SocketStream s6 = l.accept();
            assertEquals(InetAddress.getByName("::1"), s6.remoteAddress().getAddress());
            c6.sendAll(new byte[] {6});
            assertArrayEquals(new byte[] {6}, s6.receiveSome(1));
            c6.close();
            s6.close();
        } finally {
            l.close();
        }
    }

    @WeftTest
    @Async
    void openTcpListeners_badBacklogOrPort_throwsIllegalArgumentException() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Net.openTcpListeners(0, 0));
        assertEquals("backlog must be > 0, was 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Net.openTcpListeners(0, LOOPBACK, -1));
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> Net.openTcpListeners(65536));
        assertEquals("port must be in 0..65535, was 65536", port.getMessage());
    }

    /** Whether a socket can be bound to {@code [::1]} here (IPv6 may be disabled in a container). */
    private static boolean ipv6LoopbackWorks() {
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
