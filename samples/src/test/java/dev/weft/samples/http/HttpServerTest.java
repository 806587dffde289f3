package dev.weft.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sample server over loopback, byte for byte: keep-alive, pipelining, closing, the
 * error statuses, HTTP/1.0, and the JDK's {@link HttpClient} as a real client. The tests wait
 * only for responses to arrive, never for time to pass.
 */
class HttpServerTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 17\r\n\r\nHello from Weft!\n";
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 17\r\n\r\n";
    private static final String NOT_FOUND = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 10\r\n\r\nNot Found\n";

    /** A raw client connection. */
    private record Client(SocketStream s, ResponseReader responses) {
        @Async
        void send(String requests) {
            s.sendAll(requests.getBytes(StandardCharsets.ISO_8859_1));
        }

        @Async
        String next() throws IOException {
            return responses.next(false);
        }

        @Async
        String nextToHead() throws IOException {
            return responses.next(true);
        }

        @Async
        boolean closedByServer() {
            return responses.atEnd();
        }
    }

    @Async
    private static int start(Nursery n, HttpServer server) throws Exception {
        List<TcpListener> ls = n.start(status -> Net.serveTcp(0, LOOPBACK, s -> server.handle(s), status));
        return ls.get(0).localAddress().getPort();
    }

    @Async
    private static Client connect(int port) throws IOException {
        SocketStream s = Net.openTcpStream(LOOPBACK, port);
        return new Client(s, new ResponseReader(s));
    }

    private static String get(String path, String... headers) {
        return request("GET", path, "HTTP/1.1", headers);
    }

    private static String request(String method, String path, String version, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + path + " " + version + "\r\n");
        if (version.equals("HTTP/1.1")) {
            b.append("Host: 127.0.0.1\r\n");
        }
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @WeftTest
    @Async
    void keepAlive_twoRequestsOnOneConnection_exactResponsesAndTheConnectionStaysOpen() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            Client c = connect(start(n, server));
            c.send(get("/"));
            assertEquals(OK, c.next());
            c.send(request("HEAD", "/", "HTTP/1.1"));
            assertEquals(OK_HEAD, c.nextToHead());
            c.send(get("/?page=2"));
            assertEquals(OK, c.next(), "a query is ignored");
            assertEquals(1, server.connections());
            assertEquals(3, server.requests());
            c.s().close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void pipelining_fourRequestsInOneWrite_answeredInOrderThenClosed() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            Client c = connect(start(n, server));
            c.send(get("/") + get("/missing") + request("HEAD", "/", "HTTP/1.1") + get("/", "Connection: close"));
            assertEquals(OK, c.next());
            assertEquals(NOT_FOUND, c.next());
            assertEquals(OK_HEAD, c.nextToHead());
            assertEquals(OK.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), c.next());
            assertTrue(c.closedByServer());
            assertEquals(4, server.requests());
            c.s().close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void connectionClose_theServerClosesAfterTheResponse() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            Client c = connect(start(n, server));
            c.send(get("/", "Connection: close"));
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 17\r\n"
                    + "Connection: close\r\n\r\nHello from Weft!\n", c.next());
            assertTrue(c.closedByServer());
            c.s().close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void notFoundAndMethodNotAllowed_keepTheConnectionAndSkipTheBody() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            Client c = connect(start(n, server));
            c.send(get("/missing"));
            assertEquals(NOT_FOUND, c.next());
            c.send(request("POST", "/", "HTTP/1.1", "Content-Length: 5") + "hello");
            assertEquals("HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: 19\r\nAllow: GET, HEAD\r\n\r\nMethod Not Allowed\n", c.next());
            c.send(get("/"));
            assertEquals(OK, c.next(), "the POST's body was read and dropped, not taken for a request");
            assertEquals(1, server.connections());
            c.s().close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void malformedRequests_get400AndAClose() throws Exception {
        HttpServer server = new HttpServer();
        List<String> bad = List.of(
                "BLAH\r\n\r\n",
                "GET /\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                "GET / HTTX/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "GET example.com HTTP/1.1\r\nHost: x\r\n\r\n");
        Nursery.open(n -> {
            int port = start(n, server);
            for (String request : bad) {
                Client c = connect(port);
                c.send(request);
                String response = c.next();
                assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), request + " got " + response);
                assertTrue(response.contains("\r\nConnection: close\r\n"), response);
                assertTrue(c.closedByServer(), request);
                c.s().close();
            }
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void otherStatuses_headTooLargeGets431_chunkedGets501_http2Gets505_andEachCloses() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            int port = start(n, server);
            String huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(HttpServer.MAX_HEAD_BYTES) + "\r\n\r\n";
            String[][] cases = {
                {huge, "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
                {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(HttpServer.MAX_HEAD_BYTES), // no end in sight
                    "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
                {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    "HTTP/1.1 501 Not Implemented\r\n"},
                {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n"}};
            for (String[] k : cases) {
                Client c = connect(port);
                c.send(k[0]);
                String response = c.next();
                assertTrue(response.startsWith(k[1]), k[1] + " expected, got " + response);
                assertTrue(response.contains("\r\nConnection: close\r\n"), response);
                assertTrue(c.closedByServer());
                c.s().close();
            }
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void http10_closesUnlessAskedToKeepAlive() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            int port = start(n, server);
            Client plain = connect(port);
            plain.send(request("GET", "/", "HTTP/1.0"));
            assertEquals(OK.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), plain.next());
            assertTrue(plain.closedByServer());
            plain.s().close();

            Client kept = connect(port);
            String keepAlive = request("GET", "/", "HTTP/1.0", "Connection: keep-alive");
            kept.send(keepAlive);
            assertEquals(OK.replace("\r\n\r\n", "\r\nConnection: keep-alive\r\n\r\n"), kept.next());
            kept.send(keepAlive);
            assertEquals(OK.replace("\r\n\r\n", "\r\nConnection: keep-alive\r\n\r\n"), kept.next());
            kept.send(request("GET", "/", "HTTP/1.0"));
            assertEquals(OK.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), kept.next());
            assertTrue(kept.closedByServer());
            kept.s().close();
            assertEquals(2, server.connections());
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void javaHttpClient_onAWorkerThread_threeRequestsOverOneConnection() throws Exception {
        HttpServer server = new HttpServer();
        Nursery.open(n -> {
            int port = start(n, server);
            URI root = URI.create("http://127.0.0.1:" + port + "/");
            List<String> seen = Weft.runInThread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<String> out = new ArrayList<>();
                for (HttpRequest r : List.of(HttpRequest.newBuilder(root).build(),
                        HttpRequest.newBuilder(root).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpRequest.newBuilder(root.resolve("/missing")).build(),
                        HttpRequest.newBuilder(root).build())) {
                    HttpResponse<String> response = client.send(r, HttpResponse.BodyHandlers.ofString());
                    out.add(response.statusCode() + " " + response.headers().firstValue("content-type").orElse("?")
                            + " " + response.body().strip());
                }
                return out;
            });
            assertEquals(List.of(
                    "200 text/plain; charset=utf-8 Hello from Weft!",
                    "200 text/plain; charset=utf-8 ",
                    "404 text/plain; charset=utf-8 Not Found",
                    "200 text/plain; charset=utf-8 Hello from Weft!"), seen);
            assertEquals(1, server.connections(), "HttpClient kept its one connection alive");
            assertEquals(4, server.requests());
            n.cancelScope().cancel();
        });
    }

    @Test
    void tour_httpDemo_threeResponsesOverOneConnection() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Http(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(Weft.runner().handleInterrupts(false));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().map(String::strip).toList();
        String all = String.join("\n", lines);
        assertEquals(2, lines.stream().filter(l -> l.equals("< HTTP/1.1 200 OK")).count(), all);
        assertTrue(lines.contains("< HTTP/1.1 404 Not Found"), all);
        assertTrue(lines.contains("client: then the server closed the connection: end of stream"), all);
        assertTrue(lines.contains("main: 3 requests over 1 connection; cancelling the server"), all);
        assertEquals("main: the server has stopped", lines.get(lines.size() - 1), all);
    }
}
