package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.BrokenResourceException;
import dev.weft.BusyResourceException;
import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.stream.HalfCloseableStream;
import dev.weft.stream.Stream;
import dev.weft.testing.MemoryStreams;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@link SslStream} over memory streams and over TCP: the stream conformance checks, the
 * handshake (versions, hostname verification, ALPN, client certificates), the closing rules
 * and cancellation.
 */
class SslStreamTest {

    private static final String LOOPBACK = "127.0.0.1";

    // ---------------------------------------------------------------- pairs

    /** A TLS pair over a memory pair, {@code (client, server)}, with these options on both ends. */
    static StreamPair<SslStream, SslStream> memoryPair(SslOptions client, SslOptions server) {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
        return new StreamPair<>(SslStream.client(raw.first(), Tls.CA.clientContext(), "localhost", client),
                SslStream.server(raw.second(), Tls.SERVER.serverContext(), server));
    }

    static StreamPair<SslStream, SslStream> memoryPair() {
        return memoryPair(SslOptions.defaults(), SslOptions.defaults());
    }

    /**
     * A clogged TLS pair: over a lockstep pair, where a send waits for the peer's receive. The
     * handshake is done first, as in Trio's tests: otherwise a receive that should unclog the
     * peer would first have to send its own handshake bytes, and get stuck itself. A TLS 1.3
     * server sends a session ticket after the handshake, which a lockstep pair delivers only
     * when the client receives, so the server then sends a byte that the client receives.
     */
    @Async
    static StreamPair<SslStream, SslStream> cloggedPair() {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.lockstepStreamPair();
        StreamPair<SslStream, SslStream> p = new StreamPair<>(
                SslStream.client(raw.first(), Tls.CA.clientContext(), "localhost"),
                SslStream.server(raw.second(), Tls.SERVER.serverContext()));
        Nursery.open(n -> {
            n.startSoon(() -> {
                p.second().doHandshake();
                p.second().sendAll(new byte[] {1});
            });
            p.first().doHandshake();
            assertArrayEquals(new byte[] {1}, p.first().receiveSome(1));
        });
        return p;
    }

    /** A TLS pair over loopback TCP, {@code (client, server)}. */
    @Async
    static StreamPair<SslStream, SslStream> tcpPair() throws IOException {
        List<SslListener> ls = Net.openSslOverTcpListeners(0, LOOPBACK, Tls.SERVER.serverContext(),
                SslOptions.defaults());
        SslListener l = ls.get(0);
        try {
            int port = ((TcpListener) l.transportListener()).localAddress().getPort();
            SslStream client = SslStream.client(Net.openTcpStream(LOOPBACK, port), Tls.CA.clientContext(), "localhost");
            SslStream server = l.accept();
            return new StreamPair<>(client, server);
        } finally {
            l.close();
        }
    }

    // ---------------------------------------------------------------- conformance

    @WeftTest
    @Async
    void overMemory_passesTwoWayChecks() throws Exception {
        StreamChecks.checkTwoWayStream(SslStreamTest::memoryPair, SslStreamTest::cloggedPair);
    }

    @WeftTest
    @Async
    void overMemory_tls12_passesTwoWayChecks() throws Exception {
        SslOptions tls12 = SslOptions.defaults().withProtocols("TLSv1.2");
        StreamChecks.checkTwoWayStream(() -> memoryPair(tls12, tls12));
    }

    @WeftTest(timeoutSeconds = 60)
    @Async
    void overTcp_passesTwoWayChecks() throws Exception {
        StreamChecks.checkTwoWayStream(SslStreamTest::tcpPair);
    }

    // ---------------------------------------------------------------- the handshake

    @WeftTest
    @Async
    void handshake_eachVersion_negotiatesIt() throws Exception {
        for (String version : List.of("TLSv1.2", "TLSv1.3")) {
            SslOptions o = SslOptions.defaults().withProtocols(version);
            StreamPair<SslStream, SslStream> p = memoryPair(o, o);
            Nursery.open(n -> {
                n.startSoon(() -> p.second().doHandshake());
                p.first().doHandshake();
            });
            assertEquals(version, p.first().session().getProtocol());
            assertEquals(version, p.second().session().getProtocol());
            assertTrue(p.first().session().getPeerPrincipal().getName().contains("CN=localhost"));
            p.closeBoth();
        }
    }

    @WeftTest
    @Async
    void handshake_implicitOnFirstSendAndReceive_deliversBytes() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        Nursery.open(n -> {
            n.startSoon(() -> p.first().sendAll(bytes("hello")));
            assertEquals("hello", text(p.second().receiveSome(100)));
        });
        p.closeBoth();
    }

    @WeftTest
    @Async
    void handshake_wrongHostname_bothSidesBroken() throws Exception {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
        SslStream client = SslStream.client(raw.first(), Tls.CA.clientContext(), "example.org");
        SslStream server = SslStream.server(raw.second(), Tls.SERVER.serverContext());
        List<Throwable> serverFailure = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                try {
                    server.doHandshake();
                } catch (BrokenResourceException e) {
                    serverFailure.add(e);
                }
            });
            BrokenResourceException e = Testing.assertThrows(BrokenResourceException.class, client::doHandshake);
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            assertTrue(e.getMessage().contains("example.org"), e.getMessage());
        });
        assertEquals(1, serverFailure.size(), "the server learns of the failure (the client sent an alert)");
        Testing.assertThrows(BrokenResourceException.class, () -> client.sendAll(bytes("x")));
        client.close();
        server.close();
    }

    @WeftTest
    @Async
    void handshake_hostnameVerificationOff_acceptsOtherName() throws Exception {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
        SslStream client = SslStream.client(raw.first(), Tls.CA.clientContext(), "example.org",
                SslOptions.defaults().withHostnameVerification(false));
        SslStream server = SslStream.server(raw.second(), Tls.SERVER.serverContext());
        Nursery.open(n -> {
            n.startSoon(server::doHandshake);
            client.doHandshake();
        });
        client.close();
        server.close();
    }

    @WeftTest
    @Async
    void handshake_untrustedCertificate_broken() throws Exception {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
        SslStream client = SslStream.client(raw.first(), Tls.OTHER_CA.clientContext(), "localhost");
        SslStream server = SslStream.server(raw.second(), Tls.SERVER.serverContext());
        Nursery.open(n -> {
            n.startSoon(() -> Testing.assertThrows(BrokenResourceException.class, server::doHandshake));
            BrokenResourceException e = Testing.assertThrows(BrokenResourceException.class, client::doHandshake);
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        });
        client.close();
        server.close();
    }

    @WeftTest
    @Async
    void handshake_peerSpeaksPlainText_brokenWithTheReason() throws Exception {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
        SslStream server = SslStream.server(raw.second(), Tls.SERVER.serverContext());
        raw.first().sendAll(bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        BrokenResourceException e = Testing.assertThrows(BrokenResourceException.class, server::doHandshake);
        assertInstanceOf(javax.net.ssl.SSLException.class, e.getCause());
        assertTrue(e.getMessage().contains("TLS failed: "), e.getMessage());
        Testing.assertThrows(BrokenResourceException.class, () -> server.receiveSome(10));
        server.close();
        raw.first().close();
    }

    @WeftTest
    @Async
    void alpn_commonProtocol_chosenOnBothSides() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair(
                SslOptions.defaults().withApplicationProtocols("h2", "http/1.1"),
                SslOptions.defaults().withApplicationProtocols("http/1.1"));
        assertEquals(null, p.first().applicationProtocol());
        Nursery.open(n -> {
            n.startSoon(() -> p.second().doHandshake());
            p.first().doHandshake();
        });
        assertEquals("http/1.1", p.first().applicationProtocol());
        assertEquals("http/1.1", p.second().applicationProtocol());
        p.closeBoth();
    }

    @WeftTest
    @Async
    void alpn_none_emptyProtocol() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        Nursery.open(n -> {
            n.startSoon(() -> p.second().doHandshake());
            p.first().doHandshake();
        });
        assertEquals("", p.first().applicationProtocol());
        p.closeBoth();
    }

    @WeftTest
    @Async
    void clientAuth_requiredWithoutCertificate_broken() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair(SslOptions.defaults(),
                SslOptions.defaults().withClientAuth(SslOptions.ClientAuth.REQUIRED));
        Nursery.open(n -> {
            n.startSoon(() -> Testing.assertThrows(BrokenResourceException.class, () -> {
                p.first().doHandshake();
                p.first().receiveSome(10); // TLS 1.3: the client learns of the rejection on its next read
            }));
            Testing.assertThrows(BrokenResourceException.class, p.second()::doHandshake);
        });
        p.closeBoth();
    }

    @WeftTest
    @Async
    void handshake_concurrentSendAndReceive_oneHandshake() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        Nursery.open(n -> {
            n.startSoon(() -> p.first().sendAll(bytes("ping")));
            n.startSoon(() -> assertEquals("pong", text(p.first().receiveSome(10))));
            assertEquals("ping", text(p.second().receiveSome(10)));
            p.second().sendAll(bytes("pong"));
        });
        p.closeBoth();
    }

    @WeftTest
    @Async
    void handshake_cancelledWhileWaitingForPeer_canBeRetried() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        CancelScope.moveOnAfter(Duration.ofMillis(20)).run(() -> p.first().doHandshake());
        Nursery.open(n -> {
            n.startSoon(() -> p.second().doHandshake());
            p.first().doHandshake();
        });
        p.first().sendAll(bytes("after"));
        assertEquals("after", text(p.second().receiveSome(10)));
        p.closeBoth();
    }

    @WeftTest
    @Async
    void handshake_serverCancelledJustBeforeItsLastFlight_retrySendsItWithoutRenegotiating() throws Exception {
        // The server reads one record at a time; the read that brings the client's Finished
        // (TLS 1.2: ClientHello, ClientKeyExchange, ChangeCipherSpec, Finished; TLS 1.3:
        // ClientHello, ChangeCipherSpec, Finished) cancels it. The server then completes its
        // side without another checkpoint until it sends its last flight, so the cancel lands
        // there: the records are made but not sent. A retry that began the handshake again
        // would start a renegotiation (TLS 1.2) that nobody answers, and time out.
        for (String version : List.of("TLSv1.2", "TLSv1.3")) {
            SslOptions o = SslOptions.defaults().withProtocols(version);
            StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
            CancelScope firstAttempt = new CancelScope();
            int finishedRead = version.equals("TLSv1.2") ? 4 : 3;
            SslStream server = SslStream.server(new RecordAtATime(raw.second(), firstAttempt, finishedRead),
                    Tls.SERVER.serverContext(), o);
            SslStream client = SslStream.client(raw.first(), Tls.CA.clientContext(), "localhost", o);
            Nursery.open(n -> {
                n.startSoon(client::doHandshake);
                firstAttempt.run(server::doHandshake);
                assertTrue(firstAttempt.cancelledCaught(), version + ": the first attempt was cancelled");
                CancelScope.failAfter(Duration.ofSeconds(10)).run(server::doHandshake);
            });
            CancelScope.failAfter(Duration.ofSeconds(10)).run(() -> Nursery.open(n -> {
                n.startSoon(() -> client.sendAll(bytes("ping")));
                assertEquals("ping", text(server.receiveSome(10)), version);
                n.startSoon(() -> server.sendAll(bytes("pong")));
                assertEquals("pong", text(client.receiveSome(10)), version);
            }));
            assertEquals(version, server.session().getProtocol());
            client.close();
            server.close();
        }
    }

    @WeftTest
    @Async
    void handshake_serverEndsTheConnectionAfterClientHello_clientReceiveBroken() throws Exception {
        StreamPair<HalfCloseableStream, HalfCloseableStream> raw = MemoryStreams.memoryStreamPair();
        SslStream client = SslStream.client(raw.first(), Tls.CA.clientContext(), "localhost");
        Nursery.open(n -> {
            n.startSoon(() -> {
                raw.second().receiveSome(65536); // the ClientHello
                raw.second().close();
            });
            BrokenResourceException e = Testing.assertThrows(BrokenResourceException.class,
                    () -> client.receiveSome(10));
            assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
        });
        client.close();
    }

    @WeftTest
    @Async
    void sslListener_optionsTheContextRejects_failBeforeListening() throws Exception {
        List<TcpListener> tcp = Net.openTcpListeners(0, LOOPBACK);
        try {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new SslListener(tcp.get(0), Tls.SERVER.serverContext(),
                            SslOptions.defaults().withProtocols("TLSv9")));
            assertTrue(e.getMessage().contains("TLSv9"), e.getMessage());
        } finally {
            tcp.get(0).close();
        }
    }

    @WeftTest
    @Async
    void tls12_peerClosed_sendBrokenButReceivesKeepEnding() throws Exception {
        SslOptions tls12 = SslOptions.defaults().withProtocols("TLSv1.2");
        StreamPair<SslStream, SslStream> p = memoryPair(tls12, tls12);
        handshakeBoth(p);
        p.first().close();
        assertEquals(0, p.second().receiveSome(10).length);
        BrokenResourceException e = Testing.assertThrows(BrokenResourceException.class,
                () -> p.second().sendAll(bytes("late")));
        assertTrue(e.getMessage().contains("close_notify"), e.getMessage());
        assertEquals(0, p.second().receiveSome(10).length, "receives still see the end, not a broken stream");
        p.second().close();
    }

    // ---------------------------------------------------------------- closing

    @WeftTest
    @Async
    void close_sendsCloseNotify_peerSeesCleanEnd() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        Nursery.open(n -> {
            n.startSoon(() -> {
                p.first().sendAll(bytes("bye"));
                p.first().close();
            });
            assertEquals("bye", text(p.second().receiveSome(10)));
            assertEquals(0, p.second().receiveSome(10).length);
            assertEquals(0, p.second().receiveSome(10).length, "the end of stream repeats");
        });
        p.second().close();
    }

    @WeftTest
    @Async
    void raggedEof_strict_broken() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        handshakeBoth(p);
        p.first().transport().close(); // the TCP-level end, without close_notify
        BrokenResourceException e = Testing.assertThrows(BrokenResourceException.class,
                () -> p.second().receiveSome(10));
        assertTrue(e.getMessage().contains("withHttpsCompatible"), e.getMessage());
        p.closeBoth();
    }

    @WeftTest
    @Async
    void raggedEof_httpsCompatible_endOfStream() throws Exception {
        SslOptions https = SslOptions.defaults().withHttpsCompatible(true);
        StreamPair<SslStream, SslStream> p = memoryPair(https, https);
        handshakeBoth(p);
        p.first().transport().close();
        assertEquals(0, p.second().receiveSome(10).length);
        assertEquals(0, p.second().receiveSome(10).length);
        p.closeBoth();
    }

    @WeftTest
    @Async
    void close_whileAnotherTaskReceives_receiverGetsClosed() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        handshakeBoth(p);
        Nursery.open(n -> {
            n.startSoon(() -> Testing.assertThrows(ClosedResourceException.class, () -> p.first().receiveSome(10)));
            Testing.waitAllTasksBlocked();
            p.first().close();
        });
        p.second().close();
    }

    @WeftTest
    @Async
    void concurrentReceives_secondIsBusy() throws Exception {
        StreamPair<SslStream, SslStream> p = memoryPair();
        handshakeBoth(p);
        FailureGroup g = Testing.assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon(() -> p.first().receiveSome(10));
            n.startSoon(() -> p.first().receiveSome(10));
        }));
        assertInstanceOf(BusyResourceException.class, g.failures().get(0));
        p.closeBoth();
    }

    // ---------------------------------------------------------------- over TCP

    @WeftTest(timeoutSeconds = 30)
    @Async
    void openSslOverTcpStream_toSslListener_roundTripsLargeData() throws Exception {
        List<SslListener> ls = Net.openSslOverTcpListeners(0, LOOPBACK, Tls.SERVER.serverContext(),
                SslOptions.defaults());
        int port = ((TcpListener) ls.get(0).transportListener()).localAddress().getPort();
        byte[] big = new byte[1 << 20];
        new java.util.Random(7).nextBytes(big);
        Nursery.open(n -> {
            n.startSoon(() -> {
                SslStream s = ls.get(0).accept();
                try {
                    for (byte[] b; (b = s.receiveSome(65536)).length > 0; ) {
                        s.sendAll(b);
                    }
                } finally {
                    s.close();
                    ls.get(0).close();
                }
            });
            SslStream c = Net.openSslOverTcpStream("localhost", port, Tls.CA.clientContext());
            try {
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                Nursery.open(m -> {
                    m.startSoon(() -> c.sendAll(big));
                    while (got.size() < big.length) {
                        byte[] b = c.receiveSome(65536);
                        got.write(b, 0, b.length);
                    }
                });
                assertArrayEquals(big, got.toByteArray());
            } finally {
                c.close();
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    @Async
    static void handshakeBoth(StreamPair<SslStream, SslStream> p) {
        Nursery.open(n -> {
            n.startSoon(() -> p.second().doHandshake());
            p.first().doHandshake();
        });
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A transport whose receives return one TLS record at a time, and which cancels
     * {@code scope} when its {@code on}-th receive returns.
     */
    static final class RecordAtATime implements Stream {
        private final Stream inner;
        private final CancelScope scope;
        private final int on;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        private int receives;

        RecordAtATime(Stream inner, CancelScope scope, int on) {
            this.inner = inner;
            this.scope = scope;
            this.on = on;
        }

        @Async
        @Override
        public int receive(byte[] buf, int off, int len) {
            while (pending.size() < 5 || pending.size() < 5 + recordLength()) {
                byte[] b = inner.receiveSome(65536);
                if (b.length == 0) {
                    break;
                }
                pending.write(b, 0, b.length);
            }
            if (pending.size() == 0) {
                return -1;
            }
            byte[] all = pending.toByteArray();
            int n = Math.min(len, pending.size() < 5 ? pending.size() : Math.min(all.length, 5 + recordLength()));
            System.arraycopy(all, 0, buf, off, n);
            pending.reset();
            pending.write(all, n, all.length - n);
            if (++receives == on) {
                scope.cancel("test: after receive " + on);
            }
            return n;
        }

        private int recordLength() {
            byte[] h = pending.toByteArray();
            return ((h[3] & 0xff) << 8) | (h[4] & 0xff);
        }

        @Async
        @Override
        public void sendAll(byte[] data, int off, int len) {
            inner.sendAll(data, off, len);
        }

        @Async
        @Override
        public void waitSendAllMightNotBlock() {
            inner.waitSendAllMightNotBlock();
        }

        @Async
        @Override
        public void close() {
            inner.close();
        }
    }
}
