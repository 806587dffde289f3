package dev.weft.net;

import dev.weft.CancelScope;
import dev.weft.annotation.Async;
import dev.weft.stream.Listener;
import dev.weft.stream.Stream;
import java.io.IOException;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A listener whose connections are TLS server streams: Trio's {@code SSLListener}. It wraps
 * another listener (usually a {@link TcpListener}) and makes each accepted connection the
 * server end of an {@link SslStream}. The handshake is not done in {@link #accept()}, so one
 * slow client cannot hold up the accept loop; it happens on the connection's first send or
 * receive, in the task that serves it.
 * {@snippet :
 * SslListener l = new SslListener(Net.openTcpListeners(8443).get(0), serverContext);
 * SslStream s = l.accept();
 * s.doHandshake();
 * }
 *
 * <p>The rules of {@link Listener}: one accepting task at a time, and after {@link #close()}
 * accepts throw {@link dev.weft.ClosedResourceException}.
 *
 * @see Net#openSslOverTcpListeners
 */
public final class SslListener implements Listener<SslStream> {
    private final Listener<? extends Stream> transportListener;
    private final SSLContext context;
    private final SslOptions options;

    /**
     * Wraps {@code transportListener} with the default options.
     *
     * @param transportListener where connections come from; this listener owns it
     * @param context the server's certificate and key
     */
    public SslListener(Listener<? extends Stream> transportListener, SSLContext context) {
        this(transportListener, context, SslOptions.defaults());
    }

    /**
     * Wraps {@code transportListener}.
     *
     * @param transportListener where connections come from; this listener owns it
     * @param context the server's certificate and key
     * @param options the options of every accepted stream
     * @throws IllegalArgumentException if the options name a protocol version or setting the
     *     context does not support
     * @throws IllegalStateException if the context was not initialized
     */
    public SslListener(Listener<? extends Stream> transportListener, SSLContext context, SslOptions options) {
        this.transportListener = Objects.requireNonNull(transportListener, "transportListener");
        this.context = Objects.requireNonNull(context, "context");
        this.options = Objects.requireNonNull(options, "options");
        // Fail here, before anyone connects, if the context or options cannot make an engine.
        SslStream.checkServerOptions(context, options);
    }

    /**
     * Returns the listener that connections come from, for its address. Accepting from it
     * directly bypasses TLS. Not a checkpoint.
     *
     * @return the wrapped listener
     */
    public Listener<? extends Stream> transportListener() {
        return transportListener;
    }

    /**
     * Waits for the next connection and returns it as a TLS server stream before its
     * handshake. A checkpoint; see {@link Listener#accept()}.
     *
     * @return the new stream; the caller owns it and must close it
     * @throws IOException if the transport listener's accept fails
     */
    @Async
    @Override
    public SslStream accept() throws IOException {
        return wrap(transportListener.accept());
    }

    /**
     * Returns a connection that is waiting already as a TLS server stream, or null; see
     * {@link Listener#tryAccept()}. Not a checkpoint.
     *
     * @return the new stream, before its handshake, or null
     * @throws IOException if the transport listener's accept fails
     */
    @Async
    @Override
    public SslStream tryAccept() throws IOException {
        Stream transport = transportListener.tryAccept();
        return transport == null ? null : wrap(transport);
    }

    @Async
    private SslStream wrap(Stream transport) {
        try {
            return SslStream.server(transport, context, options);
        } catch (RuntimeException e) {
            CancelScope forcefully = new CancelScope();
            forcefully.cancel("closing a connection that could not get TLS");
            forcefully.run(transport::close);
            throw e;
        }
    }

    /**
     * Closes the wrapped listener. Idempotent. A checkpoint.
     */
    @Async
    @Override
    public void close() {
        transportListener.close();
    }

    @Override
    public String toString() {
        return "SslListener[" + transportListener + "]";
    }
}
