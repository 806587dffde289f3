package dev.weft.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The echo benchmark's client, the same for every server: one thread and one NIO
 * {@link Selector} driving {@code C} non-blocking connections to 127.0.0.1. Each connection
 * is a closed loop: it sends one {@value #SIZE}-byte message, waits until all
 * {@value #SIZE} bytes have come back, records the round trip's latency and sends the next.
 * So {@code C} messages are always in flight. The client checks every echoed byte.
 *
 * <p>Latencies (send to last byte back, {@code System.nanoTime}) go into a growable
 * {@code long[]} while {@link #recording} is on; {@link #percentile} sorts a copy.
 */
final class EchoClient implements AutoCloseable {
    /** Bytes per message. */
    static final int SIZE = 64;
    /** Connections connected, and echoed once, at a time while connecting. */
    static final int CONNECT_BATCH = 1000;
    /** How long a batch of connections may take to echo its first messages. */
    static final int BATCH_TIMEOUT_SECONDS = 30;

    private final Selector selector;
    private final Conn[] conns;
    private long[] samples = new long[1 << 20];
    private int count;
    /** Whether round trips are recorded as latency samples. */
    boolean recording;

    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out = ByteBuffer.allocate(SIZE);
        final ByteBuffer in = ByteBuffer.allocate(SIZE);
        byte seq;
        long sentAt;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    /**
     * Connects {@code connections} sockets in batches of {@value #CONNECT_BATCH}: it connects a
     * batch one socket after another, sends one message on each and waits for every echo
     * before the next batch, so every connection has been accepted and served once before the
     * benchmark starts, and no more than a batch waits in the server's accept queue (backlog
     * 4096). Then it sends the first message on every connection.
     *
     * @throws IOException if a connection fails, or a batch is not all echoed within
     *     {@value #BATCH_TIMEOUT_SECONDS} s
     */
    EchoClient(int port, int connections) throws IOException {
        selector = Selector.open();
        conns = new Conn[connections];
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
        try {
            for (int from = 0; from < connections; from += CONNECT_BATCH) {
                int end = Math.min(connections, from + CONNECT_BATCH);
                for (int i = from; i < end; i++) {
                    SocketChannel ch = SocketChannel.open(to);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    Conn c = new Conn(ch);
                    c.seq = (byte) i;
                    conns[i] = c;
                    ch.register(selector, SelectionKey.OP_READ, c);
                    send(c);
                }
                awaitEchoes(from, end);
            }
            for (Conn c : conns) {
                send(c);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Reads until connections {@code from} to {@code end} (exclusive), the only ones with a message in flight, have each had it echoed. */
    private void awaitEchoes(int from, int end) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BATCH_TIMEOUT_SECONDS);
        int done = 0;
        while (done < end - from) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("only " + done + " of connections " + from + ".." + (end - 1) + " had their first "
                        + "message echoed within " + BATCH_TIMEOUT_SECONDS + " s");
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (receive((Conn) k.attachment())) {
                    done++;
                }
            }
        }
    }

    private static void send(Conn c) throws IOException {
        c.seq++;
        ByteBuffer out = c.out;
        out.clear();
        for (int i = 0; i < SIZE; i++) {
            out.put((byte) (c.seq + i));
        }
        out.flip();
        c.sentAt = System.nanoTime();
        // 64 bytes into a socket with nothing else unsent: one write; loop just in case.
        while (out.hasRemaining()) {
            c.ch.write(out);
        }
    }

    /**
     * Completes at least {@code n} round trips, over all connections, and returns how many it
     * completed. Messages still in flight stay in flight for the next call.
     */
    long roundTrips(long n) throws IOException {
        long done = 0;
        while (done < n) {
            if (selector.select() == 0) {
                continue;
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                if (!receive(c)) {
                    continue;
                }
                long t = System.nanoTime() - c.sentAt;
                if (recording) {
                    record(t);
                }
                done++;
                send(c);
            }
        }
        return done;
    }

    /**
     * Reads what {@code c} has received.
     *
     * @return true if its whole echo is back (checked, and {@code c.in} cleared for the next)
     */
    private static boolean receive(Conn c) throws IOException {
        if (c.ch.read(c.in) < 0) {
            throw new IOException("the echo server closed a connection");
        }
        if (c.in.hasRemaining()) {
            return false;
        }
        byte[] got = c.in.array();
        for (int i = 0; i < SIZE; i++) {
            if (got[i] != (byte) (c.seq + i)) {
                throw new IOException("wrong echo at byte " + i + ": " + got[i] + ", expected " + (byte) (c.seq + i));
            }
        }
        c.in.clear();
        return true;
    }

    private void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
    }

    /**
     * @param since a {@code System.nanoTime()} value
     * @return how many connections have completed no round trip since then: their message in
     *     flight was sent before {@code since}
     */
    int idleSince(long since) {
        int idle = 0;
        for (Conn c : conns) {
            if (c.sentAt - since < 0) {
                idle++;
            }
        }
        return idle;
    }

    /** @return how long the oldest message still in flight has waited for its echo, in nanoseconds */
    long oldestInFlight() {
        long now = System.nanoTime();
        long oldest = 0;
        for (Conn c : conns) {
            oldest = Math.max(oldest, now - c.sentAt);
        }
        return oldest;
    }

    /** Forgets the recorded samples. */
    void resetSamples() {
        count = 0;
    }

    /** @return how many samples are recorded */
    int samples() {
        return count;
    }

    /**
     * @param p a percentile, such as 50 or 99
     * @return the recorded latency at that percentile, in nanoseconds (nearest rank), or -1
     *     if nothing was recorded
     */
    long percentile(double p) {
        return percentile(0, p);
    }

    /**
     * @param from the first sample to look at (an earlier {@link #samples()})
     * @param p a percentile, such as 50 or 99
     * @return the latency at that percentile of the samples recorded since {@code from}, in
     *     nanoseconds (nearest rank), or -1 if there are none
     */
    long percentile(int from, double p) {
        int n = count - from;
        if (n <= 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOfRange(samples, from, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            if (c != null) {
                c.ch.close();
            }
        }
        selector.close();
    }
}
