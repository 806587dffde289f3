package dev.weft.samples.http;

import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.annotation.Async;
import dev.weft.net.SocketStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server: {@code GET /} and {@code HEAD /} answer a fixed
 * {@code text/plain} body, over persistent connections, one task per connection.
 * {@snippet :
 * HttpServer server = new HttpServer();
 * Nursery.open(n -> n.start(status -> Net.serveTcp(8080, "127.0.0.1", s -> server.handle(s), status)));
 * }
 *
 * <h2>What it answers</h2>
 * <table>
 *   <caption>Responses</caption>
 *   <tr><th>request</th><th>response</th><th>then</th></tr>
 *   <tr><td>{@code GET /} (a query is ignored)</td><td>200, {@link #BODY}</td><td>keeps the connection</td></tr>
 *   <tr><td>{@code HEAD /}</td><td>200, the same headers, no body</td><td>keeps the connection</td></tr>
 *   <tr><td>{@code GET} or {@code HEAD} of another path</td><td>404</td><td>keeps the connection</td></tr>
 *   <tr><td>another method</td><td>405 with {@code Allow: GET, HEAD}</td><td>keeps the connection</td></tr>
 *   <tr><td>a malformed request line or header, no {@code Host} in HTTP/1.1, a bad
 *       {@code Content-Length}</td><td>400</td><td>closes</td></tr>
 *   <tr><td>a head longer than {@link #MAX_HEAD_BYTES}</td><td>431</td><td>closes</td></tr>
 *   <tr><td>{@code Transfer-Encoding} (request bodies other than {@code Content-Length})</td>
 *       <td>501</td><td>closes</td></tr>
 *   <tr><td>a version other than HTTP/1.0 and 1.1</td><td>505</td><td>closes</td></tr>
 *   <tr><td>a head not complete within {@link #IDLE_TIMEOUT}</td><td>408 (nothing if no byte came)</td>
 *       <td>closes</td></tr>
 * </table>
 * A request body announced by {@code Content-Length} is read and discarded.
 *
 * <h2>Connections</h2>
 * An HTTP/1.1 connection stays open until the client sends {@code Connection: close}; an
 * HTTP/1.0 one closes after each response unless the client sends
 * {@code Connection: keep-alive}, which the response echoes. Requests sent back to back
 * without waiting (pipelining) are answered in order, and the responses to all the requests
 * already received go out in one write. Closing is "lingering", as in nginx: the server sends
 * its end of stream, then reads and discards what the client still sends, for at most
 * {@link #LINGER}, so a response is not lost to a reset caused by unread input.
 *
 * <p>Responses carry no {@code Date} header (a production server should send one); every
 * status line says {@code HTTP/1.1}, as RFC 9110 asks of a 1.1 server.
 *
 * <p>Its counters are touched only by tasks of the run that serves, on its thread.
 */
public final class HttpServer {
    /** The body of {@code GET /}. */
    public static final String BODY = "Hello from Weft!\n";
    /** The largest request head (request line and headers) accepted, in bytes. */
    public static final int MAX_HEAD_BYTES = 8 * 1024;
    /** How long a connection may wait for the next complete request head. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a closing connection drains the client's input after the last response. */
    public static final Duration LINGER = Duration.ofSeconds(2);

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final byte[] OK_BODY = BODY.getBytes(StandardCharsets.UTF_8);

    /** Connections accepted so far. Written by {@link #handle}. */
    private int connections;
    /** Requests answered so far (including errors). Written by {@link #handle}. */
    private long requests;

    /** How many connections this server has handled so far. Not a checkpoint. @return the count */
    public int connections() {
        return connections;
    }

    /** How many requests this server has answered so far. Not a checkpoint. @return the count */
    public long requests() {
        return requests;
    }

    /** What to do with one parsed request. */
    private record Response(int status, String reason, String extraHeaders, byte[] body, boolean sendBody,
            boolean keepAlive, boolean http10) {
    }

    /** A request head that cannot be answered as a request: answered with {@code status}, then closed. */
    private static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * Serves requests on one connection until it should close: {@code Net.serveTcp}'s
     * handler. It never fails because of the client: a reset connection just ends it.
     *
     * @param s the connection
     */
    @Async
    public void handle(SocketStream s) {
        connections++;
        try {
            new Connection(s).serve();
        } catch (BrokenResourceException e) {
            // The client reset the connection: nothing more to say to it.
        }
    }

    /** One connection's buffers and loop. Used by its one task. */
    private final class Connection {
        final SocketStream s;
        /** Received, not yet parsed: {@code in[start, end)}. */
        byte[] in = new byte[MAX_HEAD_BYTES + 1024];
        int start;
        int end;
        /** Responses not yet sent. */
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Connection(SocketStream s) {
            this.s = s;
        }

        @Async
        void serve() {
            while (true) {
                int headEnd = headEnd();
                if (headEnd < 0) {
                    flush();
                    headEnd = receiveHead();
                    if (headEnd == -1) { // the end of the stream, or idle: close without a word
                        return;
                    }
                    if (headEnd < 0) {
                        respondAndClose(-headEnd, -headEnd == 408 ? "request head not complete in time"
                                : "request head longer than " + MAX_HEAD_BYTES + " bytes");
                        return;
                    }
                }
                String head = new String(in, start, headEnd - start, StandardCharsets.ISO_8859_1);
                start = headEnd;
                Response r;
                long bodyBytes;
                try {
                    Request q = Request.parse(head);
                    bodyBytes = q.contentLength();
                    r = answer(q);
                } catch (BadRequest e) {
                    respondAndClose(e.status, e.getMessage());
                    return;
                }
                if (!skipBody(bodyBytes)) {
                    return;
                }
                requests++;
                write(r);
                if (!r.keepAlive()) {
                    flush();
                    lingeringClose();
                    return;
                }
            }
        }

        /**
         * Receives until a whole head is buffered. Returns where it ends; -1 at the end of the
         * stream or after an idle timeout with nothing received; -431 if it is too long; -408
         * if the timeout struck in the middle of it.
         */
        @Async
        int receiveHead() {
            CancelScope deadline = CancelScope.moveOnAfter(IDLE_TIMEOUT);
            Integer found = deadline.call(() -> {
                while (true) {
                    if (end - start >= MAX_HEAD_BYTES) {
                        return -431;
                    }
                    if (start > 0) {
                        System.arraycopy(in, start, in, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    int n = s.receive(in, end, in.length - end);
                    if (n < 0) {
                        return -1;
                    }
                    end += n;
                    int e = headEnd();
                    if (e >= 0) {
                        return e > MAX_HEAD_BYTES ? -431 : e;
                    }
                }
            });
            if (found == null) {
                return start == end ? -1 : -408;
            }
            return found;
        }

        /**
         * Returns the index just past the blank line that ends the head starting at
         * {@code start}, or -1 if it is not all here. Blank lines before a request are skipped,
         * as RFC 9112 allows.
         */
        int headEnd() {
            while (start < end && (in[start] == '\r' || in[start] == '\n')) {
                if (in[start] == '\r' && (start + 1 >= end || in[start + 1] != '\n')) {
                    break;
                }
                start += in[start] == '\r' ? 2 : 1;
            }
            int lineStart = start;
            for (int i = start; i < end; i++) {
                if (in[i] == '\n') {
                    int len = i - lineStart - (i > lineStart && in[i - 1] == '\r' ? 1 : 0);
                    if (len == 0 && lineStart > start) {
                        return i + 1;
                    }
                    lineStart = i + 1;
                }
            }
            return -1;
        }

        /** Reads and drops a request body; false if the stream ended first. */
        @Async
        boolean skipBody(long bytes) {
            long buffered = Math.min(bytes, end - start);
            start += (int) buffered;
            bytes -= buffered;
            while (bytes > 0) {
                int n = s.receive(in, 0, (int) Math.min(in.length, bytes));
                if (n < 0) {
                    return false;
                }
                bytes -= n;
            }
            return true;
        }

        void write(Response r) {
            StringBuilder h = new StringBuilder(128)
                    .append("HTTP/1.1 ").append(r.status()).append(' ').append(r.reason()).append("\r\n")
                    .append("Content-Type: text/plain; charset=utf-8\r\n")
                    .append("Content-Length: ").append(r.body().length).append("\r\n")
                    .append(r.extraHeaders());
            if (!r.keepAlive()) {
                h.append("Connection: close\r\n");
            } else if (r.http10()) {
                h.append("Connection: keep-alive\r\n");
            }
            h.append("\r\n");
            out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (r.sendBody()) {
                out.writeBytes(r.body());
            }
        }

        @Async
        void flush() {
            if (out.size() > 0) {
                byte[] b = out.toByteArray();
                out.reset();
                s.sendAll(b);
            }
        }

        @Async
        void respondAndClose(int status, String why) {
            requests++;
            write(new Response(status, reason(status), "", (reason(status) + ": " + why + "\n")
                    .getBytes(StandardCharsets.UTF_8), true, false, false));
            flush();
            lingeringClose();
        }

        /** Sends the end of stream, then drops what the client still sends, for at most {@link #LINGER}. */
        @Async
        void lingeringClose() {
            s.sendEof();
            CancelScope.moveOnAfter(LINGER).run(() -> {
                byte[] sink = new byte[4096];
                while (s.receive(sink, 0, sink.length) >= 0) {
                    // dropped
                }
            });
        }
    }

    /** Decides the response to a well-formed request. Not a checkpoint. */
    private static Response answer(Request q) {
        boolean head = q.method().equals("HEAD");
        if (!head && !q.method().equals("GET")) {
            byte[] body = "Method Not Allowed\n".getBytes(StandardCharsets.UTF_8);
            return new Response(405, "Method Not Allowed", "Allow: GET, HEAD\r\n", body, true, q.keepAlive(),
                    q.http10());
        }
        String path = q.target();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (!path.equals("/")) {
            return new Response(404, "Not Found", "", "Not Found\n".getBytes(StandardCharsets.UTF_8), !head,
                    q.keepAlive(), q.http10());
        }
        return new Response(200, "OK", "", OK_BODY, !head, q.keepAlive(), q.http10());
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Unknown";
        };
    }

    /** A parsed request head. */
    private record Request(String method, String target, boolean http10, boolean keepAlive, long contentLength) {

        /** Parses a head (request line, headers, blank line). Not a checkpoint. */
        static Request parse(String head) throws BadRequest {
            String[] lines = head.split("\r?\n", -1);
            String[] parts = lines[0].split(" ", -1);
            if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()) {
                throw new BadRequest(400, "malformed request line");
            }
            if (!VERSION.matcher(parts[2]).matches()) {
                throw new BadRequest(400, "malformed HTTP version");
            }
            boolean http10 = parts[2].equals("HTTP/1.0");
            if (!http10 && !parts[2].equals("HTTP/1.1")) {
                throw new BadRequest(505, "only HTTP/1.0 and HTTP/1.1 are served");
            }
            if (!parts[1].startsWith("/") && !(parts[0].equals("OPTIONS") && parts[1].equals("*"))) {
                throw new BadRequest(400, "the target must be a path");
            }
            int hosts = 0;
            boolean close = false;
            boolean keepAliveAsked = false;
            long contentLength = 0;
            String lengthSeen = null;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                    throw new BadRequest(400, "malformed header line");
                }
                String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                switch (name) {
                    case "host" -> hosts++;
                    case "connection" -> {
                        for (String option : value.split(",")) {
                            String o = option.strip().toLowerCase(Locale.ROOT);
                            close |= o.equals("close");
                            keepAliveAsked |= o.equals("keep-alive");
                        }
                    }
                    case "content-length" -> {
                        if (lengthSeen != null && !lengthSeen.equals(value) || !value.matches("[0-9]{1,18}")) {
                            throw new BadRequest(400, "bad Content-Length");
                        }
                        lengthSeen = value;
                        contentLength = Long.parseLong(value);
                    }
                    case "transfer-encoding" -> throw new BadRequest(501, "Transfer-Encoding is not supported");
                    default -> {
                    }
                }
            }
            if (!http10 && hosts != 1) {
                throw new BadRequest(400, "an HTTP/1.1 request needs exactly one Host header");
            }
            boolean keepAlive = !close && (!http10 || keepAliveAsked);
            return new Request(parts[0], parts[1], http10, keepAlive, contentLength);
        }
    }
}
