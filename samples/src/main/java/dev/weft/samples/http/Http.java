package dev.weft.samples.http;

import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTTP sample: an {@link HttpServer} on 127.0.0.1 and, in the same run, a client that
 * sends three requests over one keep-alive connection (the last with
 * {@code Connection: close}) and prints the responses; then cancelling the nursery stops the
 * server. {@link #serve} runs the server alone, for curl or a load tool:
 * <pre>
 *   java -jar samples/target/weft-samples.jar http --port 8080
 *   wrk -c 100 -d 10 http://127.0.0.1:8080/
 *   ab -k -c 100 -n 100000 http://127.0.0.1:8080/
 * </pre>
 */
public final class Http {
    private final PrintStream out;

    /** @param out where to print */
    public Http(PrintStream out) {
        this.out = out;
    }

    /** Runs the server and the client on {@code runner}. @param runner the runner */
    public void run(Runner runner) throws Exception {
        runner.run(() -> main());
    }

    /**
     * Serves HTTP on {@code host:port} until the run is interrupted (Ctrl+C).
     *
     * @param runner the runner
     * @param host the address to listen on
     * @param port the port, or 0 for any free one
     */
    public void serve(Runner runner, String host, int port) throws Exception {
        HttpServer server = new HttpServer();
        try {
            runner.run(() -> Nursery.open(n -> {
                List<TcpListener> ls = n.start(status -> Net.serveTcp(port, host, s -> server.handle(s), status));
                out.println("http: listening on " + ls.get(0).localAddress().getHostString() + ":"
                        + ls.get(0).localAddress().getPort() + "; try: curl -v http://"
                        + ls.get(0).localAddress().getHostString() + ":" + ls.get(0).localAddress().getPort() + "/");
            }));
        } finally {
            out.println("http: served " + server.requests() + " requests over " + server.connections()
                    + " connections");
        }
    }

    @Async
    void main() {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", s -> server.handle(s), status));
            int port = ls.get(0).localAddress().getPort();
            out.println("server: listening on 127.0.0.1:" + port);
            SocketStream c = Net.openTcpStream("127.0.0.1", port);
            ResponseReader responses = new ResponseReader(c);
            try {
                String[] requests = {
                    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    "GET /missing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"};
                for (String request : requests) {
                    out.println("client: " + request.lines().findFirst().orElseThrow()
                            + (request.contains("close") ? " (Connection: close)" : ""));
                    c.sendAll(request.getBytes(StandardCharsets.US_ASCII));
                    String response = responses.next(request.startsWith("HEAD"));
                    int bodyAt = response.indexOf("\r\n\r\n") + 4;
                    for (String line : response.substring(0, bodyAt - 4).split("\r\n")) {
                        out.println("  < " + line);
                    }
                    out.println("  <");
                    out.println(bodyAt == response.length() ? "  (no body: a response to HEAD)"
                            : "  < " + response.substring(bodyAt).strip());
                }
                out.println("client: then the server closed the connection: "
                        + (responses.atEnd() ? "end of stream" : "more bytes?"));
            } finally {
                c.close();
            }
            out.println("main: " + server.requests() + " requests over " + server.connections()
                    + " connection; cancelling the server");
            n.cancelScope().cancel("the demo is over");
        });
        out.println("main: the server has stopped");
    }
}
