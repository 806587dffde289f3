package dev.weft.net;

import dev.weft.BrokenResourceException;
import dev.weft.BusyResourceException;
import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.Stream;
import dev.weft.sync.Lock;
import dev.weft.sync.StrictFIFOLock;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS over any {@link Stream}: Trio's {@code SSLStream}, built on the JDK's {@link SSLEngine}.
 * The transport is usually a {@link SocketStream}, but any stream works, such as a memory
 * pair in a test.
 * {@snippet :
 * SslStream s = Net.openSslOverTcpStream("example.org", 443, SSLContext.getDefault(),
 *         SslOptions.defaults().withHttpsCompatible(true));    // many HTTPS servers skip close_notify
 * try {
 *     s.sendAll("GET / HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n"
 *             .getBytes(StandardCharsets.US_ASCII));   // the handshake happens here, first
 *     for (byte[] b; (b = s.receiveSome(16384)).length > 0; ) {
 *         System.out.write(b, 0, b.length);
 *     }
 * } finally {
 *     s.close();                                      // sends close_notify, closes the socket
 * }
 * }
 *
 * <h2>The handshake</h2>
 * The first {@code sendAll} or {@code receive} performs the handshake, or call
 * {@link #doHandshake()} to do it at a time of your choosing (for example under a timeout, or
 * to read {@link #applicationProtocol()} before sending). A client verifies the server's
 * certificate chain with the context's trust managers and, unless
 * {@link SslOptions#withHostnameVerification(boolean) turned off}, that the certificate names
 * the host. A failed handshake throws {@link BrokenResourceException} whose cause is the
 * {@link javax.net.ssl.SSLHandshakeException} saying why, and the peer is sent the TLS alert.
 *
 * <h2>Rules</h2>
 * The rules of {@link Stream}: every operation is a checkpoint, one sending and one receiving
 * task at a time (a second gets {@link BusyResourceException}), and after {@link #close()}
 * operations throw {@link ClosedResourceException}, also ones blocked when another task
 * closed the stream. The transport belongs to the {@code SslStream}: do not use it directly.
 * A failed transport or a TLS protocol error breaks the stream: every later operation throws
 * {@link BrokenResourceException}.
 *
 * <h2>Cancellation</h2>
 * Cancellation while waiting for the peer's bytes is harmless, also during the handshake, and
 * so is cancellation before a TLS record is handed to the transport: a cancelled handshake
 * can be retried, and a cancelled receive loses nothing. But any operation cancelled while the
 * transport was taking a record (usually a {@code sendAll} on a full transport; rarely a
 * receive or handshake answering the peer) may have sent part of it; the stream then cannot
 * go on and is broken, as in Trio.
 *
 * <h2>Closing</h2>
 * {@link #close()} sends TLS's {@code close_notify} (so the peer can tell the end from a cut
 * connection) when the handshake has completed and no other task is using the transport's
 * sending side, then closes the transport; it does not wait for the peer's reply. Sending
 * {@code close_notify} waits for the transport to take it: over a connection whose peer has
 * stopped reading, bound the close with a cancel scope (a cancelled close still closes). The peer's {@code close_notify} ends this
 * side's receives. A transport that ends without one is {@link BrokenResourceException},
 * unless the options are {@link SslOptions#withHttpsCompatible(boolean) HTTPS-compatible}.
 *
 * <p>TLS has no half-close that every peer honours, so this is a {@link Stream}, not a
 * {@link dev.weft.stream.HalfCloseableStream}. The stream's methods must be called from tasks
 * of one run.
 */
public final class SslStream implements Stream {

    private enum State { OK, BROKEN, CLOSED }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Stream transport;
    private final SSLEngine engine;
    private final boolean httpsCompatible;
    /** Transport sends, in the order TLS records were made. */
    private final StrictFIFOLock sendLock = new StrictFIFOLock();
    /** Transport receives. */
    private final Lock receiveLock = new Lock();
    /** Held by the task that performs the initial handshake; others wait for it. */
    private final Lock handshakeLock = new Lock();

    // Fields below: read and written by tasks of the run, on its thread. Between two
    // checkpoints a task has them to itself, so each engine call and the buffer moves around
    // it are atomic.

    /** Bytes from the transport that the engine has not consumed; in fill mode. */
    private ByteBuffer netIn;
    /** Decrypted bytes no receive has returned yet; in fill mode. */
    private ByteBuffer appIn;
    /** Records the engine made that are not yet handed to the transport; in fill mode. */
    private ByteBuffer netOut;
    /**
     * An empty buffer to swap in for {@link #netOut} while the old one is being sent (other
     * tasks may add records meanwhile); null while a send uses it.
     */
    private ByteBuffer spareOut;
    /** Where the holder of {@link #receiveLock} receives transport bytes into. */
    private byte[] readChunk;
    private State state = State.OK;
    private Throwable brokenCause;
    private boolean handshakeDone;
    /** Set once {@code beginHandshake} was called: a retry after a cancelled handshake must not call it again. */
    private boolean handshakeBegun;
    /** Set when a wrap reported the engine's sending side closed after the peer's close_notify (TLS 1.2). */
    private boolean outboundClosedByPeer;
    private boolean transportEof;
    /** Set when a ragged end of stream was taken as the end (HTTPS-compatible mode). */
    private boolean raggedEof;
    /** How many transport receives have completed; lets a waiter see that another task read. */
    private long transportReceives;
    /**
     * Set when the transport ended before the peer sent a byte: the peer closed without
     * starting TLS, so no data can have been cut short, and receives report the end of stream.
     */
    private boolean endedBeforeHandshake;
    private boolean sending;
    private boolean receiving;

    private SslStream(Stream transport, SSLEngine engine, boolean httpsCompatible) {
        this.transport = transport;
        this.engine = engine;
        this.httpsCompatible = httpsCompatible;
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    /**
     * Makes the client end of a TLS connection over {@code transport}, with the default
     * options. Not a checkpoint; no byte is sent until the handshake.
     *
     * @param transport the stream to run TLS over; the new stream owns it
     * @param context where certificates and trust come from, such as
     *     {@link SSLContext#getDefault()}
     * @param serverHostname the name (or address literal) of the server, checked against its
     *     certificate and sent as SNI
     * @return the stream, before its handshake
     * @throws IllegalArgumentException if the context cannot make an engine with the options
     */
    public static SslStream client(Stream transport, SSLContext context, String serverHostname) {
        return client(transport, context, serverHostname, SslOptions.defaults());
    }

    /**
     * Makes the client end of a TLS connection over {@code transport}. Not a checkpoint.
     *
     * @param transport the stream to run TLS over; the new stream owns it
     * @param context where certificates and trust come from
     * @param serverHostname the name (or address literal) of the server, checked against its
     *     certificate unless the options turn that off, and sent as SNI when it is a name
     * @param options hostname verification, ALPN, versions, the closing rule
     * @return the stream, before its handshake
     * @throws IllegalArgumentException if the context cannot make an engine with the options
     *     (a protocol version it does not support, for example), or if {@code serverHostname}
     *     is not a valid host name for SNI (such as one with a trailing dot)
     * @throws IllegalStateException if the context was not initialized
     */
    public static SslStream client(Stream transport, SSLContext context, String serverHostname, SslOptions options) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(serverHostname, "serverHostname");
        Objects.requireNonNull(options, "options");
        SSLEngine engine = context.createSSLEngine(serverHostname, -1);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (options.hostnameVerification()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isAddressLiteral(serverHostname)) {
            p.setServerNames(List.of(new SNIHostName(serverHostname)));
        }
        configure(engine, p, options);
        return new SslStream(transport, engine, options.httpsCompatible());
    }

    /**
     * Makes the server end of a TLS connection over {@code transport}, with the default
     * options. Not a checkpoint.
     *
     * @param transport the stream to run TLS over; the new stream owns it
     * @param context the server's certificate and key (its key managers), and the trust for
     *     client certificates
     * @return the stream, before its handshake
     */
    public static SslStream server(Stream transport, SSLContext context) {
        return server(transport, context, SslOptions.defaults());
    }

    /**
     * Makes the server end of a TLS connection over {@code transport}. Not a checkpoint.
     *
     * @param transport the stream to run TLS over; the new stream owns it
     * @param context the server's certificate and key, and the trust for client certificates
     * @param options ALPN, versions, client certificates, the closing rule
     * @return the stream, before its handshake
     * @throws IllegalArgumentException if the context cannot make an engine with the options
     * @throws IllegalStateException if the context was not initialized
     */
    public static SslStream server(Stream transport, SSLContext context, SslOptions options) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        switch (options.clientAuth()) {
            case REQUIRED -> p.setNeedClientAuth(true);
            case WANTED -> p.setWantClientAuth(true);
            case NONE -> { }
        }
        configure(engine, p, options);
        return new SslStream(transport, engine, options.httpsCompatible());
    }

    /** Makes (and drops) a server engine, so that bad options fail when a listener is made. */
    static void checkServerOptions(SSLContext context, SslOptions options) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        configure(engine, engine.getSSLParameters(), options);
    }

    private static void configure(SSLEngine engine, SSLParameters p, SslOptions options) {
        if (!options.applicationProtocols().isEmpty()) {
            p.setApplicationProtocols(options.applicationProtocols().toArray(String[]::new));
        }
        if (options.protocols() != null) {
            p.setProtocols(options.protocols().toArray(String[]::new));
        }
        engine.setSSLParameters(p);
    }

    private static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Returns the stream TLS runs over. Sending or receiving on it directly corrupts the TLS
     * connection. Not a checkpoint.
     *
     * @return the transport
     */
    public Stream transport() {
        return transport;
    }

    /**
     * Returns the TLS session: after the handshake, its protocol version, cipher suite and the
     * peer's certificates. Before the handshake completes it is a placeholder with no peer.
     * Not a checkpoint.
     *
     * @return the session
     */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * Returns the ALPN protocol the handshake chose. Not a checkpoint.
     *
     * @return the protocol; an empty string if the handshake completed without ALPN; null
     *     before the handshake has got that far
     */
    public String applicationProtocol() {
        return engine.getApplicationProtocol();
    }

    /**
     * Performs the TLS handshake if it has not been done, and waits for it if another task is
     * doing it. Sends and receives do this themselves, so calling it is optional. A checkpoint.
     *
     * @throws BrokenResourceException if the handshake failed (the cause says why, such as an
     *     untrusted certificate or a name that does not match) or the transport failed
     * @throws ClosedResourceException if the stream is closed, also by another task meanwhile
     * @throws dev.weft.Cancelled if the task is cancelled; see the class documentation
     */
    @Async
    public void doHandshake() {
        checkUsable("doHandshake");
        Weft.checkpointIfCancelled();
        ensureHandshake("doHandshake");
        Weft.cancelShieldedCheckpoint();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Performs the handshake first if need be. Returns -1 once the peer has sent
     * {@code close_notify}, or, in HTTPS-compatible mode, once the transport has ended. A
     * server's receive also returns -1 when its client closed the transport before sending a
     * single byte: the client never started TLS, so nothing can have been cut short
     * ({@link #doHandshake()} and {@code sendAll} throw {@link BrokenResourceException}
     * then). A client whose server ends the connection during the handshake gets
     * {@link BrokenResourceException}.
     *
     * @throws BrokenResourceException if the handshake fails, the data is not valid TLS, the
     *     transport fails, or the transport ends without {@code close_notify} (unless
     *     HTTPS-compatible)
     */
    @Async
    @Override
    public int receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (endedBeforeHandshake && state == State.BROKEN) {
            Weft.checkpoint();
            return -1;
        }
        checkUsable("receive");
        if (receiving) {
            throw new BusyResourceException(this + ": another task is already receiving from this stream");
        }
        receiving = true;
        try {
            Weft.checkpointIfCancelled();
            try {
                ensureHandshake("receive");
            } catch (BrokenResourceException e) {
                if (endedBeforeHandshake) {
                    Weft.cancelShieldedCheckpoint();
                    return -1;
                }
                throw e;
            }
            while (true) {
                checkUsable("receive");
                if (len == 0) {
                    Weft.cancelShieldedCheckpoint();
                    return 0;
                }
                if (appIn.position() > 0) {
                    appIn.flip();
                    int n = Math.min(len, appIn.remaining());
                    appIn.get(buf, off, n);
                    appIn.compact();
                    Weft.cancelShieldedCheckpoint();
                    return n;
                }
                if (engine.isInboundDone() || raggedEof) {
                    Weft.cancelShieldedCheckpoint();
                    return -1;
                }
                SSLEngineResult r = unwrapOnce("receive");
                long seen = transportReceives; // before any checkpoint: see readTransport
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    continue;
                }
                serviceHandshake(r.getHandshakeStatus(), false, "receive");
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    flush("receive"); // anything queued must reach the peer before this side waits for it
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !readTransport("receive", seen)) {
                    if (!httpsCompatible) {
                        throw markBroken(new BrokenResourceException(this + ": the peer closed the connection without"
                                + " TLS close_notify, so the data may have been cut short; if the peer is an HTTPS"
                                + " peer that does this, use SslOptions.withHttpsCompatible(true)"));
                    }
                    raggedEof = true;
                }
            }
        } finally {
            receiving = false;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Performs the handshake first if need be.
     *
     * @throws BrokenResourceException if the handshake fails, the transport fails, the peer
     *     closed the TLS connection, or an earlier send was cancelled partway
     */
    @Async
    @Override
    public void sendAll(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        beginSend("sendAll");
        try {
            Weft.checkpointIfCancelled();
            ensureHandshake("sendAll");
            if (len == 0) {
                Weft.cancelShieldedCheckpoint();
                return;
            }
            ByteBuffer src = ByteBuffer.wrap(data, off, len);
            while (src.hasRemaining()) {
                checkUsable("sendAll");
                SSLEngineResult r = wrapInto(src, "sendAll");
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    // TLS 1.2: the peer's close_notify closed both directions. The wrap made our
                    // reply; send it, and fail this send without breaking the stream, whose
                    // receives go on returning the end of the stream.
                    outboundClosedByPeer = true;
                    flush("sendAll", true);
                }
                if (outboundClosedByPeer) {
                    throw new BrokenResourceException(this + ": sendAll after the peer closed the TLS connection"
                            + " (it sent close_notify, which in TLS 1.2 ends both directions)");
                }
                serviceHandshake(r.getHandshakeStatus(), true, "sendAll");
                flush("sendAll");
            }
        } finally {
            sending = false;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits until the transport would take bytes. It does not perform the handshake.
     */
    @Async
    @Override
    public void waitSendAllMightNotBlock() {
        beginSend("waitSendAllMightNotBlock");
        try {
            sendLock.acquire();
            try {
                checkUsable("waitSendAllMightNotBlock");
                transport.waitSendAllMightNotBlock();
            } catch (ClosedResourceException | BrokenResourceException e) {
                throw translate(e, "waitSendAllMightNotBlock");
            } finally {
                sendLock.release();
            }
        } finally {
            sending = false;
        }
    }

    /**
     * Closes the TLS connection and its transport: sends {@code close_notify} if the handshake
     * completed and no other task is using the transport's sending side (a send, a
     * {@code waitSendAllMightNotBlock}, or a receive answering the peer), then closes the
     * transport without waiting for the peer's reply. Sending {@code close_notify} waits until
     * the transport takes it; tasks blocked on the stream are woken when the transport closes. Tasks blocked on the stream get
     * {@link ClosedResourceException}. Idempotent. A checkpoint; if it is cancelled, the
     * transport is closed anyway (perhaps before {@code close_notify} went out).
     *
     * @throws dev.weft.Cancelled if the task is cancelled; the stream is closed anyway
     */
    @Async
    @Override
    public void close() {
        if (state == State.CLOSED) {
            Weft.checkpoint();
            return;
        }
        boolean notify = state == State.OK && handshakeDone && !sendLock.isLocked();
        state = State.CLOSED;
        try {
            if (notify) {
                engine.closeOutbound();
                try {
                    wrapInto(EMPTY, "close");
                    flush("close");
                } catch (BrokenResourceException | ClosedResourceException e) {
                    // The peer has gone or the transport failed: nothing to tell it.
                }
            }
        } finally {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "SslStream[" + (engine.getUseClientMode() ? "client" : "server") + ", " + state.name().toLowerCase()
                + " over " + transport + "]";
    }

    // ---------------------------------------------------------------- the engine

    /** Performs the initial handshake once; other callers wait for the task doing it. */
    @Async
    private void ensureHandshake(String what) {
        if (handshakeDone) {
            return;
        }
        handshakeLock.acquire();
        try {
            if (handshakeDone) {
                return;
            }
            checkUsable(what);
            try {
                if (!handshakeBegun) {
                    // Called again, beginHandshake would start a renegotiation (TLS 1.2) or a
                    // KeyUpdate (TLS 1.3) when a cancelled attempt left only its last flight unsent.
                    handshakeBegun = true;
                    engine.beginHandshake();
                }
            } catch (SSLException e) {
                throw markBroken(new BrokenResourceException(this + ": could not start the TLS handshake: "
                        + e.getMessage(), e));
            }
            try {
                serviceHandshake(engine.getHandshakeStatus(), true, what);
            } catch (BrokenResourceException e) {
                sendAlertQuietly();
                throw e;
            }
            handshakeDone = true;
        } finally {
            handshakeLock.release();
        }
    }

    /**
     * Does what the engine asks until it asks for nothing. With {@code unwrap} false, stops at
     * a request to read: the caller's own receive loop reads.
     *
     * <p>Records are sent a flight at a time: what the engine wraps is queued, and the queue
     * goes to the transport only before this side waits for the peer's bytes, and on return.
     * Sending each record on its own would deadlock over a transport without buffering (a
     * lockstep pair), where both sides would be sending at once: a TLS 1.3 client answers the
     * server's first record with its own while the server is still sending the rest.
     */
    @Async
    private void serviceHandshake(HandshakeStatus hs, boolean unwrap, String what) {
        while (true) {
            switch (hs) {
                case NEED_TASK -> runDelegatedTasks(what);
                case NEED_WRAP -> wrapInto(EMPTY, what);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap) {
                        flush(what);
                        return;
                    }
                    SSLEngineResult r = unwrapOnce(what);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw markBroken(new BrokenResourceException(this + ": the peer closed the TLS connection"
                                + " during the handshake"));
                    }
                    long seen = transportReceives;
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        flush(what);
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !readTransport(what, seen)) {
                        // A client that connected and left without a byte cut nothing short; a server
                        // that answers a ClientHello with the end of the connection did (Trio agrees).
                        endedBeforeHandshake = transportReceives == 1 && !engine.getUseClientMode();
                        throw markBroken(new BrokenResourceException(this + ": the peer closed the connection"
                                + (endedBeforeHandshake ? " before the TLS handshake" : " during the TLS handshake")));
                    }
                }
                default -> {
                    flush(what);
                    return;
                }
            }
            checkUsable(what);
            hs = engine.getHandshakeStatus();
        }
    }

    /**
     * Runs the engine's delegated tasks (certificate checks, key exchange) on a worker thread:
     * a trust manager may fetch revocation data over the network, and the run's thread must
     * not wait for that. Not cancellable while a task runs, so the engine's state stays whole.
     */
    @Async
    private void runDelegatedTasks(String what) {
        try {
            Weft.runInThread(() -> {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run();
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw markBroken(new BrokenResourceException(this + ": " + what + ": a TLS engine task failed: "
                    + e.getMessage(), e));
        } catch (Exception e) {
            throw new IllegalStateException("a TLS engine task threw a checked exception", e);
        }
    }

    /** One {@code unwrap} of {@link #netIn} into {@link #appIn}, growing {@code appIn} as needed. */
    private SSLEngineResult unwrapOnce(String what) {
        netIn.flip();
        try {
            while (true) {
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    return r;
                }
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
            }
        } catch (SSLException e) {
            throw markBroken(new BrokenResourceException(this + ": " + what + ": TLS failed: " + e.getMessage(), e));
        } finally {
            netIn.compact();
        }
    }

    /** One {@code wrap} of {@code src} onto {@link #netOut}, growing {@code netOut} as needed. */
    private SSLEngineResult wrapInto(ByteBuffer src, String what) {
        try {
            while (true) {
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    return r;
                }
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
            }
        } catch (SSLException e) {
            throw markBroken(new BrokenResourceException(this + ": " + what + ": TLS failed: " + e.getMessage(), e));
        }
    }

    /**
     * Reads once from the transport into {@link #netIn}, unless another task has read since
     * {@code seen} was taken (then the caller retries the engine first: the bytes it needs may
     * be there already). Callers take {@code seen} before their last checkpoint.
     *
     * @param seen {@link #transportReceives} when the caller last found too few bytes
     * @return false if the transport has ended
     */
    @Async
    private boolean readTransport(String what, long seen) {
        if (!receiveLock.tryAcquire()) { // uncontended: the transport's receive is the checkpoint
            receiveLock.acquire();
        }
        try {
            checkUsable(what);
            if (seen != transportReceives) {
                return true;
            }
            if (transportEof) {
                return false;
            }
            if (readChunk == null) {
                readChunk = new byte[Math.max(netIn.capacity(), 16384)];
            }
            byte[] chunk = readChunk;
            int n;
            try {
                n = transport.receive(chunk, 0, chunk.length);
            } catch (ClosedResourceException | BrokenResourceException e) {
                throw translate(e, what);
            }
            transportReceives++;
            if (n < 0) {
                transportEof = true;
                return false;
            }
            if (netIn.remaining() < n) {
                netIn = grow(netIn, netIn.position() + n);
            }
            netIn.put(chunk, 0, n);
            return true;
        } finally {
            receiveLock.release();
        }
    }

    /**
     * Hands every pending record to the transport, in the order they were made. Waiting for
     * the lock loses nothing (the records stay queued for whoever sends next), but a transport
     * send cancelled partway may have cut a record, which breaks the stream.
     */
    @Async
    private void flush(String what) {
        flush(what, false);
    }

    /**
     * {@link #flush(String)}; with {@code courtesy}, a transport that fails or is closed ends
     * the flush quietly, without breaking the stream, and the records are dropped: for
     * messages the peer may do without, such as the reply to its {@code close_notify}.
     */
    @Async
    private void flush(String what, boolean courtesy) {
        if (netOut.position() == 0) {
            return;
        }
        if (!sendLock.tryAcquire()) { // uncontended: the loop's checkpoints below are enough
            sendLock.acquire();
        }
        try {
            while (netOut.position() > 0) {
                Weft.checkpointIfCancelled();
                ByteBuffer out = netOut;
                netOut = spareOut != null ? spareOut : ByteBuffer.allocate(out.capacity());
                spareOut = null;
                out.flip();
                try {
                    transport.sendAll(out.array(), out.position(), out.remaining());
                    out.clear();
                    spareOut = out;
                } catch (Cancelled c) {
                    markBroken(new BrokenResourceException(this + ": a send was cancelled partway, so a TLS record"
                            + " may have been cut"));
                    throw c;
                } catch (ClosedResourceException | BrokenResourceException e) {
                    if (!courtesy) {
                        throw translate(e, what);
                    }
                    netOut.clear();
                    return;
                }
            }
        } finally {
            sendLock.release();
        }
    }

    /** After a failed handshake, sends the engine's alert so the peer learns why; best effort. */
    @Async
    private void sendAlertQuietly() {
        try {
            engine.closeOutbound();
            wrapInto(EMPTY, "handshake");
            flush("handshake");
        } catch (BrokenResourceException | ClosedResourceException e) {
            // The alert is a courtesy; the handshake's own failure is what the caller gets.
        }
    }

    // ---------------------------------------------------------------- state

    private void beginSend(String what) {
        checkUsable(what);
        if (sending) {
            throw new BusyResourceException(this + ": another task is already sending on this stream");
        }
        sending = true;
    }

    private void checkUsable(String what) {
        if (state == State.CLOSED) {
            throw new ClosedResourceException("SslStream: " + what + " on a closed stream");
        }
        if (state == State.BROKEN) {
            throw new BrokenResourceException("SslStream: " + what + " on a broken stream: "
                    + brokenCause.getMessage(), brokenCause);
        }
    }

    /** Marks the stream broken (unless it is closed) and returns {@code e} to throw. */
    private BrokenResourceException markBroken(BrokenResourceException e) {
        if (state == State.OK) {
            state = State.BROKEN;
            brokenCause = e;
        }
        return e;
    }

    /** What to throw when the transport failed: closed if this stream was closed, else broken. */
    private RuntimeException translate(RuntimeException e, String what) {
        if (state == State.CLOSED) {
            return new ClosedResourceException("SslStream: " + what + " on a closed stream");
        }
        return markBroken(new BrokenResourceException(this + ": " + what + ": the transport failed: "
                + e.getMessage(), e));
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
