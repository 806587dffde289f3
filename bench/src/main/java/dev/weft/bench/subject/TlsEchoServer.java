package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.AwaitCancellation;
import dev.weft.BrokenResourceException;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SslListener;
import dev.weft.net.SslOptions;
import dev.weft.net.SslStream;
import dev.weft.net.TcpListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * A main task that serves TLS 1.3 echo on 127.0.0.1 ({@link Net#serveSslOverTcp}, one task
 * per connection, the handshake in that task), publishes the port the system chose, and
 * serves until told to stop; then it cancels the server, which closes the listener and
 * every connection. The TLS twin of {@link EchoServer}.
 *
 * <p>{@link dev.weft.bench.TlsEchoBenchmark} runs the woven copy in a child JVM.
 */
public final class TlsEchoServer implements AsyncCallable<Object> {
    /** The options of every accepted stream: TLS 1.3 only. */
    public static final SslOptions TLS13 = SslOptions.defaults().withProtocols("TLSv1.3");

    private final SSLContext context;
    private final CompletableFuture<Object> port;
    private final CompletableFuture<Object> stop;

    /**
     * @param context the server's certificate and key
     * @param port completed with the listening port (an {@code Integer}) once the server listens
     * @param stop completed by whoever wants the server to stop
     */
    public TlsEchoServer(SSLContext context, CompletableFuture<Object> port, CompletableFuture<Object> stop) {
        this.context = context;
        this.port = port;
        this.stop = stop;
    }

    @Override
    @Async
    public Object call() throws Exception {
        Nursery.open(n -> {
            List<SslListener> ls = n.start(status -> Net.serveSslOverTcp(0, "127.0.0.1", context, TLS13,
                    this::serve, status));
            port.complete(((TcpListener) ls.get(0).transportListener()).localAddress().getPort());
            Weft.await(stop, AwaitCancellation.STOP_WAITING);
            n.cancelScope().cancel("the benchmark is done");
        });
        return null;
    }

    /**
     * Echoes every decrypted byte until the client's {@code close_notify}, with one buffer per
     * connection. A client that cuts its connection without {@code close_notify} ends only
     * that connection, not the server.
     */
    @Async
    void serve(SslStream s) {
        byte[] buf = new byte[4096];
        try {
            for (int k; (k = s.receive(buf, 0, buf.length)) > 0; ) {
                s.sendAll(buf, 0, k);
            }
        } catch (BrokenResourceException e) {
            // The client went away without close_notify: nothing more to echo on this connection.
        }
    }
}
