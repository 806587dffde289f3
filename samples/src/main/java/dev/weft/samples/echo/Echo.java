package dev.weft.samples.echo;

import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A TCP echo server and its clients in one run, over 127.0.0.1: real sockets, one thread.
 * <pre>
 *   client-1 --+                        +--> serve (task per connection)
 *   client-2 --+--> 127.0.0.1:port --> +--> serve
 *   client-3 --+     (accept loop)      +--> serve
 * </pre>
 * The server is {@link Net#serveTcp} started with {@code n.start(...)}, which returns once it
 * listens, with the port the system chose. Each client connects ({@link Net#openTcpStream}),
 * sends its lines, sends the end of its stream, and reads the echo until the server's end of
 * stream. When every client is done, cancelling the nursery stops the server: its listener
 * closes, and no task is left behind.
 */
public final class Echo {
    private final PrintStream out;
    private final int clients;

    /**
     * @param out where to print
     * @param clients how many clients connect at once
     */
    public Echo(PrintStream out, int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be >= 1, was " + clients);
        }
        this.out = out;
        this.clients = clients;
    }

    /** Runs the server and the clients on {@code runner}. @param runner the runner */
    public void run(Runner runner) throws Exception {
        runner.run(() -> main());
    }

    @Async
    void main() {
        String[] echoed = new String[clients];
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", this::serve, status));
            int port = ls.get(0).localAddress().getPort();
            out.println("server: listening on 127.0.0.1:" + port);
            Nursery.open(c -> {
                for (int i = 1; i <= clients; i++) {
                    int k = i;
                    c.startSoon("client-" + k, () -> echoed[k - 1] = client(port, k));
                }
            });
            for (int i = 0; i < clients; i++) {
                out.print(echoed[i]);
            }
            out.println("main: every client is done; cancelling the server");
            n.cancelScope().cancel("the clients are done");
        });
        out.println("main: the server has stopped and its listener is closed");
    }

    /** The server's handler: echoes every byte until the client's end of stream. */
    @Async
    void serve(SocketStream s) {
        long total = 0;
        for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
            s.sendAll(b);
            total += b.length;
        }
        s.sendEof();
        out.println("server: echoed " + total + " bytes to a client, which has sent its end of stream");
    }

    /** Client {@code k}: sends two lines, then its end of stream, and returns what came back. */
    @Async
    String client(int port, int k) throws IOException {
        SocketStream s = Net.openTcpStream("127.0.0.1", port);
        try {
            String text = "hello from client-" + k + "\nbye from client-" + k + "\n";
            s.sendAll(text.getBytes(StandardCharsets.UTF_8));
            s.sendEof();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
                got.write(b, 0, b.length);
            }
            StringBuilder report = new StringBuilder();
            for (String line : got.toString(StandardCharsets.UTF_8).split("\n")) {
                report.append("client-").append(k).append(": echoed back: ").append(line).append('\n');
            }
            return report.toString();
        } finally {
            s.close();
        }
    }
}
