package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.AwaitCancellation;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A main task that serves TCP echo on 127.0.0.1 ({@link Net#serveTcp}, one task per
 * connection), publishes the port the system chose, and serves until told to stop; then it
 * cancels the server, which closes the listener and every connection.
 *
 * <p>{@link dev.weft.bench.EchoBenchmark} runs the woven copy on a background thread.
 */
public final class EchoServer implements AsyncCallable<Object> {
    private final CompletableFuture<Object> port;
    private final CompletableFuture<Object> stop;

    /**
     * @param port completed with the listening port (an {@code Integer}) once the server listens
     * @param stop completed by whoever wants the server to stop
     */
    public EchoServer(CompletableFuture<Object> port, CompletableFuture<Object> stop) {
        this.port = port;
        this.stop = stop;
    }

    @Override
    @Async
    public Object call() throws Exception {
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", this::serve, status));
            port.complete(ls.get(0).localAddress().getPort());
            Weft.await(stop, AwaitCancellation.STOP_WAITING);
            n.cancelScope().cancel("the benchmark is done");
        });
        return null;
    }

    /** Echoes every byte until the client's end of stream, with one buffer per connection. */
    @Async
    void serve(SocketStream s) {
        byte[] buf = new byte[4096];
        for (int k; (k = s.receive(buf, 0, buf.length)) > 0; ) {
            s.sendAll(buf, 0, k);
        }
    }
}
