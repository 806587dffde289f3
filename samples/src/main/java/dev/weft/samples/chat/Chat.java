package dev.weft.samples.chat;

import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The chat sample: a {@link ChatServer} on 127.0.0.1 and three clients in the same run. The
 * clients join one after another, take turns to say something, and every client prints each
 * line it receives; then one client leaves, and cancelling the nursery stops the server.
 * {@link #serve} runs the server alone, for {@code nc} or {@code telnet} clients:
 * <pre>
 *   java -jar samples/target/weft-samples.jar chat --port 7000
 *   nc 127.0.0.1 7000      (in two or more terminals)
 * </pre>
 */
public final class Chat {
    private final PrintStream out;

    /** @param out where to print */
    public Chat(PrintStream out) {
        this.out = out;
    }

    /** Runs the server and three clients on {@code runner}. @param runner the runner */
    public void run(Runner runner) throws Exception {
        runner.run(() -> main());
    }

    /**
     * Serves chat on {@code host:port} until the run is interrupted (Ctrl+C).
     *
     * @param runner the runner
     * @param host the address to listen on
     * @param port the port, or 0 for any free one
     */
    public void serve(Runner runner, String host, int port) throws Exception {
        runner.run(() -> Nursery.open(n -> {
            ChatServer server = new ChatServer();
            List<TcpListener> ls = n.start(status -> Net.serveTcp(port, host, s -> server.handle(s), status));
            out.println("chat: listening on " + ls.get(0).localAddress().getHostString() + ":"
                        + ls.get(0).localAddress().getPort() + "; try: nc "
                    + ls.get(0).localAddress().getHostString() + " " + ls.get(0).localAddress().getPort());
        }));
    }

    @Async
    void main() {
        ChatServer server = new ChatServer();
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", s -> server.handle(s), status));
            int port = ls.get(0).localAddress().getPort();
            out.println("server: listening on 127.0.0.1:" + port);
            String[] says = {"hello, everyone", "hi! is this one thread?", "yes: one thread, a task per connection"};
            LineReader[] in = new LineReader[says.length];
            SocketStream[] conn = new SocketStream[says.length];
            for (int k = 0; k < says.length; k++) {
                conn[k] = Net.openTcpStream("127.0.0.1", port);
                in[k] = new LineReader(conn[k], ChatServer.MAX_LINE_BYTES);
                hear(in, 0, k + 1); // its welcome, and the others hear that it joined
            }
            for (int k = 0; k < says.length; k++) {
                send(conn[k], says[k]);
                hear(in, 0, says.length);
            }
            out.println("client-3: closes its connection");
            conn[2].close();
            hear(in, 0, 2);
            conn[0].close();
            conn[1].close();
            out.println("main: cancelling the server");
            n.cancelScope().cancel("the demo is over");
        });
        out.println("main: the server has stopped, and every connection with it");
    }

    /** Clients {@code from} to {@code to - 1} each read one line and print it. */
    @Async
    private void hear(LineReader[] in, int from, int to) throws IOException {
        for (int k = from; k < to; k++) {
            out.println("  client-" + (k + 1) + " got: " + in[k].readLine());
        }
    }

    @Async
    private static void send(SocketStream s, String line) {
        s.sendAll((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
