package dev.weft.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SocketStream} and {@link TcpListener} through the stream interfaces, over loopback.
 * The run waits for real I/O, so these use the system clock.
 */
class SocketStreamChecksTest {

    private static final String LOOPBACK = "127.0.0.1";
    /** Bytes asked for each socket buffer of a clogged pair; the kernel may round it up. */
    private static final int SMALL_BUFFER = 4096;

    /** A connected pair {@code (client, server)}, through the {@link Listener} interface. */
    @Async
    static StreamPair<SocketStream, SocketStream> tcpPair() throws IOException {
        Listener<SocketStream> l = Net.openTcpListeners(0, LOOPBACK).get(0);
        try {
            int port = ((TcpListener) l).localAddress().getPort();
            SocketStream client = Net.openTcpStream(LOOPBACK, port);
            SocketStream server = l.accept();
            return new StreamPair<>(client, server);
        } finally {
            l.close();
        }
    }

    /**
     * A connected pair {@code (client, server)} that is clogged in both directions: both
     * sockets get small send and receive buffers before they connect, then each side writes
     * until a non-blocking write takes nothing, so a send of even a few bytes blocks until
     * the peer receives (Trio's {@code fill_stream}).
     */
    @Async
    static StreamPair<SocketStream, SocketStream> cloggedTcpPair() throws IOException {
        ServerSocketChannel serverChannel = ServerSocketChannel.open();
        TcpListener l;
        try {
            serverChannel.setOption(StandardSocketOptions.SO_RCVBUF, SMALL_BUFFER); // accepted sockets inherit it
            serverChannel.bind(new InetSocketAddress(LOOPBACK, 0));
            l = new TcpListener(serverChannel);
        } catch (Throwable e) {
            serverChannel.close();
            throw e;
        }
        SocketChannel c = SocketChannel.open();
        SocketStream server = null;
        boolean made = false;
        try {
            c.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
            c.setOption(StandardSocketOptions.SO_RCVBUF, SMALL_BUFFER);
            c.configureBlocking(false);
            if (!c.connect(l.localAddress())) {
                Lowlevel.waitWritable(c);
                c.finishConnect();
            }
            SocketStream client = new SocketStream(c);
            server = l.accept();
            server.channel().setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
            fill(client);
            fill(server);
            Testing.waitAllTasksBlocked(); // let loopback settle, then top up what it moved
            fill(client);
            fill(server);
            made = true;
            return new StreamPair<>(client, server);
        } finally {
            if (!made) {
                c.close(); // no task waits on these yet, so they need no notifyClosing
                if (server != null) {
                    server.channel().close();
                }
            }
            l.close();
        }
    }

    /** Writes to {@code s}'s channel until a non-blocking write takes nothing. */
    private static void fill(SocketStream s) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(65_536);
        do {
            chunk.clear();
        } while (s.channel().write(chunk) > 0);
    }

    @WeftTest
    @Async
    void socketStreamOverLoopback_passesHalfCloseableChecksWithCloggedChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(SocketStreamChecksTest::tcpPair, SocketStreamChecksTest::cloggedTcpPair);
    }

    @WeftTest
    @Async
    void cloggedTcpPair_sendAllOfAFewBytes_blocksUntilThePeerReceives() throws Exception {
        StreamPair<SocketStream, SocketStream> p = cloggedTcpPair();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("sender", () -> {
                p.first().sendAll(new byte[] {1, 2, 3});
                log.add("sent");
                n.cancelScope().cancel();
            });
            Testing.waitAllTasksBlocked();
            log.add("receiving");
            while (p.second().receiveSome(65_536).length > 0) {
                // drain until the sender is done and cancels
            }
        });
        assertEquals(List.of("receiving", "sent"), log);
        p.closeBoth();
    }

    @WeftTest
    @Async
    void accept_closedListener_throwsClosed() throws Exception {
        Listener<SocketStream> l = Net.openTcpListeners(0, LOOPBACK).get(0);
        l.close();
        Testing.assertThrows(ClosedResourceException.class, l::accept);
        l.close();
    }

    @WeftTest
    @Async
    void sendEof_asHalfCloseableStream_peerSeesEnd() throws Exception {
        StreamPair<SocketStream, SocketStream> p = tcpPair();
        HalfCloseableStream client = p.first();
        client.sendAll(new byte[] {5});
        client.sendEof();
        assertArrayEquals(new byte[] {5}, p.second().receiveSome(10));
        assertArrayEquals(new byte[0], p.second().receiveSome(10));
        p.closeBoth();
    }
}
