package dev.weft.samples.http;

import dev.weft.annotation.Async;
import dev.weft.stream.ReceiveStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses, one at a time, from a stream: the head up to its blank line, then
 * {@code Content-Length} bytes of body (none for a response to {@code HEAD}). Just enough of a
 * client for the sample and its tests; used by one task at a time.
 */
public final class ResponseReader {
    private final ReceiveStream in;
    /** Received, not yet returned. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** @param in the stream the responses come on */
    public ResponseReader(ReceiveStream in) {
        this.in = in;
    }

    /**
     * Returns the next response as text, head and body, or {@code null} if the stream ends
     * before its first byte. A checkpoint when it has to receive.
     *
     * @param toHead whether it answers a {@code HEAD} request, so has no body
     * @return the response, or {@code null}
     * @throws EOFException if the stream ends in the middle of a response
     */
    @Async
    public String next(boolean toHead) throws EOFException {
        int headEnd;
        while ((headEnd = indexOf(pending.toByteArray(), "\r\n\r\n")) < 0) {
            if (!receive()) {
                if (pending.size() == 0) {
                    return null;
                }
                throw new EOFException("the stream ended inside a response head: " + pending);
            }
        }
        headEnd += 4;
        String head = new String(pending.toByteArray(), 0, headEnd, StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        int total = headEnd + (toHead ? 0 : length);
        while (pending.size() < total) {
            if (!receive()) {
                throw new EOFException("the stream ended inside a response body: " + pending);
            }
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        pending.write(all, total, all.length - total);
        return new String(all, 0, total, StandardCharsets.UTF_8);
    }

    /**
     * Returns whether the stream has ended with nothing more after the responses read so far.
     * A checkpoint.
     *
     * @return true at a clean end of stream
     */
    @Async
    public boolean atEnd() {
        return pending.size() == 0 && !receive() && pending.size() == 0;
    }

    @Async
    private boolean receive() {
        byte[] b = new byte[4096];
        int n = in.receive(b, 0, b.length);
        if (n < 0) {
            return false;
        }
        pending.write(b, 0, n);
        return true;
    }

    private static int indexOf(byte[] b, String s) {
        byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (b[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
