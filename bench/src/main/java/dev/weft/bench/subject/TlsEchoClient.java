package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.AwaitCancellation;
import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.bench.RoundTripSink;
import dev.weft.net.Net;
import dev.weft.net.SslStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * The TLS echo benchmark's client, the same for every server: a main task that opens
 * {@code connections} TLS 1.3 connections to 127.0.0.1 and runs one task per connection.
 * Each task is a closed loop: it sends one {@value #SIZE}-byte message, waits until all
 * {@value #SIZE} bytes have come back, checks them, reports the round trip to a
 * {@link RoundTripSink} and sends the next. So {@code connections} messages are always in
 * flight.
 *
 * <p>Connecting: in batches of {@value #CONNECT_BATCH}, each connection of a batch in its own
 * task, which connects, completes the handshake (the client verifies the server's
 * certificate and its name, {@code 127.0.0.1}) and makes one round trip, so the server has
 * finished its side of the handshake too. Once every batch is done, {@code ready} completes
 * and the loops start: no handshake happens while the benchmark measures.
 *
 * <p>Stopping: when {@code stop} completes, each loop finishes the round trip it is in and
 * closes its stream, which sends {@code close_notify}; the run then ends.
 *
 * <p>{@link dev.weft.bench.WeftTlsClient} runs the woven copy on its own thread.
 */
public final class TlsEchoClient implements AsyncCallable<Object> {
    /** Bytes per message. */
    public static final int SIZE = 64;
    /** Connections connected, handshaken and echoed once, at a time while connecting. */
    public static final int CONNECT_BATCH = 500;
    /** How long a batch of connections may take. */
    public static final int BATCH_TIMEOUT_SECONDS = 60;

    private final SSLContext context;
    private final int port;
    private final int connections;
    private final RoundTripSink sink;
    private final CompletableFuture<Object> ready;
    private final CompletableFuture<Object> stop;
    /** Written by the main task once {@code stop} completes; read by the loops. One thread. */
    private boolean stopping;
    /** Set by the main task once the loops own the streams. */
    private boolean loopsStarted;

    /**
     * @param context where trust comes from: the authority that issued the server's certificate
     * @param port the server's port on 127.0.0.1
     * @param connections how many connections
     * @param sink gets every round trip made by the loops (not the ones made while connecting)
     * @param ready completed once every connection is open, handshaken and echoed once
     * @param stop completed by whoever wants the client to stop
     */
    public TlsEchoClient(SSLContext context, int port, int connections, RoundTripSink sink,
            CompletableFuture<Object> ready, CompletableFuture<Object> stop) {
        this.context = context;
        this.port = port;
        this.connections = connections;
        this.sink = sink;
        this.ready = ready;
        this.stop = stop;
    }

    @Override
    @Async
    public Object call() throws Exception {
        SslStream[] streams = new SslStream[connections];
        try {
            Nursery.open(n -> {
                for (int from = 0; from < connections; from += CONNECT_BATCH) {
                    connectBatch(streams, from, Math.min(connections, from + CONNECT_BATCH));
                }
                loopsStarted = true;
                for (int i = 0; i < connections; i++) {
                    SslStream s = streams[i];
                    int connection = i;
                    n.startSoon(() -> echoLoop(s, connection));
                }
                ready.complete(null);
                Weft.await(stop, AwaitCancellation.STOP_WAITING);
                stopping = true;
            });
        } finally {
            if (!loopsStarted) {
                closeAll(streams, 0);
            }
        }
        return null;
    }

    /** Opens connections {@code from} to {@code end} (exclusive) at once, and waits for all. */
    @Async
    private void connectBatch(SslStream[] streams, int from, int end) {
        CancelScope.failAfter(Duration.ofSeconds(BATCH_TIMEOUT_SECONDS)).run(() -> Nursery.open(b -> {
            for (int i = from; i < end; i++) {
                int connection = i;
                b.startSoon(() -> streams[connection] = connect(connection));
            }
        }));
    }

    /** Connects, handshakes and makes one round trip; closes the stream if any of it fails. */
    @Async
    private SslStream connect(int connection) throws IOException {
        SslStream s = Net.openSslOverTcpStream("127.0.0.1", port, context, TlsEchoServer.TLS13);
        boolean ok = false;
        try {
            s.doHandshake();
            roundTrip(s, new byte[SIZE], new byte[SIZE], (byte) connection, connection);
            ok = true;
            return s;
        } finally {
            if (!ok) {
                s.close();
            }
        }
    }

    /** Makes round trips until {@link #stopping}, then closes the stream (with close_notify). */
    @Async
    private void echoLoop(SslStream s, int connection) throws IOException {
        try {
            byte[] out = new byte[SIZE];
            byte[] in = new byte[SIZE];
            byte seq = (byte) connection;
            while (!stopping) {
                seq++;
                sink.roundTrip(connection, roundTrip(s, out, in, seq, connection));
            }
        } finally {
            s.close();
        }
    }

    /**
     * Sends one message and receives its echo.
     *
     * @return nanoseconds from the send to the last byte of the echo
     * @throws IOException if the server ends the stream or echoes different bytes
     */
    @Async
    private static long roundTrip(SslStream s, byte[] out, byte[] in, byte seq, int connection) throws IOException {
        for (int i = 0; i < SIZE; i++) {
            out[i] = (byte) (seq + i);
        }
        long sentAt = System.nanoTime();
        s.sendAll(out, 0, SIZE);
        for (int got = 0; got < SIZE; ) {
            int k = s.receive(in, got, SIZE - got);
            if (k < 0) {
                throw new IOException("the echo server ended connection " + connection + " after " + got + " of "
                        + SIZE + " bytes of an echo");
            }
            got += k;
        }
        long nanos = System.nanoTime() - sentAt;
        if (!Arrays.equals(in, out)) {
            throw new IOException("connection " + connection + ": the echo differs from the message sent");
        }
        return nanos;
    }

    /** Closes {@code streams[from..]} that were opened, each even if closing one before it threw. */
    @Async
    private static void closeAll(SslStream[] streams, int from) {
        if (from == streams.length) {
            return;
        }
        try {
            if (streams[from] != null) {
                streams[from].close();
            }
        } finally {
            closeAll(streams, from + 1);
        }
    }
}
