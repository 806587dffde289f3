package dev.weft.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;

/**
 * How fast an echo server under load accepts: {@code N} sockets connect at once to an echo
 * server in a child JVM ({@link ChildEchoServer}), and every connection that has been echoed
 * once keeps echoing in a closed loop, so the server is busy while the rest wait in its
 * accept queue. The virtual-thread server gets one carrier, as in the benchmarks. Prints, each second, how many connections have had their first echo, and at
 * the end how long it took until all had (or that they had not after 40 s). Not a JMH
 * benchmark: it measures one event, the draining of the accept queue.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.AcceptUnderLoad weft 10000
 * </pre>
 */
public final class AcceptUnderLoad {
    private static final int SIZE = 64;
    private static final double GIVE_UP_SECONDS = 40;

    private AcceptUnderLoad() {
    }

    /**
     * @param args the server kind ({@code weft} or {@code virtualThread}) and the number of
     *     connections
     * @throws IOException if the server cannot start or a connection fails
     */
    public static void main(String[] args) throws IOException {
        String kind = args.length > 0 ? args[0] : "weft";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        // The virtual-thread server gets one carrier, as in the benchmarks (Weft has one thread).
        List<String> jvm = kind.equals("virtualThread")
                ? List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1")
                : List.of();
        try (ChildEchoServer server = new ChildEchoServer(kind, jvm);
                Selector selector = Selector.open()) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connect(new InetSocketAddress("127.0.0.1", server.port()));
                c.register(selector, SelectionKey.OP_CONNECT, new int[] {0, 0}); // bytes awaited, echoed yet
            }
            int echoedOnce = 0;
            long roundTrips = 0;
            double nextReport = 1;
            ByteBuffer message = ByteBuffer.allocate(SIZE);
            ByteBuffer in = ByteBuffer.allocate(4096);
            double elapsed = 0;
            while (echoedOnce < n && elapsed < GIVE_UP_SECONDS) {
                selector.select(100);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    SocketChannel c = (SocketChannel) k.channel();
                    int[] state = (int[]) k.attachment();
                    if (k.isConnectable()) {
                        c.finishConnect();
                        state[0] = send(c, message);
                        k.interestOps(SelectionKey.OP_READ);
                    } else if (k.isReadable()) {
                        in.clear();
                        int got = c.read(in);
                        if (got < 0) {
                            throw new IOException("the server closed a connection");
                        }
                        state[0] -= got;
                        if (state[0] == 0) {
                            roundTrips++;
                            if (state[1] == 0) {
                                state[1] = 1;
                                echoedOnce++;
                            }
                            state[0] = send(c, message);
                        }
                    }
                }
                elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed >= nextReport) {
                    System.out.printf("[accept] %s t=%.0f s: %d/%d connections echoed at least once, %d round trips%n",
                            kind, elapsed, echoedOnce, n, roundTrips);
                    nextReport += 1;
                }
            }
            System.out.printf("[accept] %s: %d/%d connections echoed at least once after %.2f s (%d round trips)%n",
                    kind, echoedOnce, n, elapsed, roundTrips);
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
        }
    }

    private static int send(SocketChannel c, ByteBuffer message) throws IOException {
        message.clear();
        while (message.hasRemaining()) {
            c.write(message); // 64 bytes into an idle socket's buffer: written at once
        }
        return SIZE;
    }
}
