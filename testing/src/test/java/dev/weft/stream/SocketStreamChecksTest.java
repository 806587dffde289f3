package dev.weft.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.weft.ClosedResourceException;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;

/**
 * {@link SocketStream} and {@link TcpListener} through the stream interfaces, over loopback.
 * The run waits for real I/O, so these use the system clock.
 */
class SocketStreamChecksTest {

    private static final String LOOPBACK = "127.0.0.1";

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

    @WeftTest
    @Async
    void socketStreamOverLoopback_passesHalfCloseableChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(SocketStreamChecksTest::tcpPair);
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
