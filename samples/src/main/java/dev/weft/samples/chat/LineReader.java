package dev.weft.samples.chat;

import dev.weft.annotation.Async;
import dev.weft.stream.ReceiveStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits what a {@link ReceiveStream} delivers into lines of UTF-8 text, ended by {@code \n}
 * (a {@code \r} before it is dropped), with a cap on a line's length so a peer cannot make the
 * buffer grow without end.
 *
 * <p>Used by one task at a time, on the run's thread.
 */
public final class LineReader {
    private final ReceiveStream in;
    private final int maxLineBytes;
    /** The bytes received but not yet returned are {@code buf[start, end)}. Written and read by the reading task. */
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    /** Set once the stream has ended. Invariant: then nothing more is received. */
    private boolean eof;

    /**
     * @param in the stream to read from
     * @param maxLineBytes the longest line accepted, without its line end
     */
    public LineReader(ReceiveStream in, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1, was " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Returns the next line without its line end, or {@code null} at the end of the stream (an
     * unterminated last line is returned first). A checkpoint when it has to receive.
     *
     * @return the line, or {@code null}
     * @throws ProtocolException if a line is longer than the cap
     */
    @Async
    public String readLine() throws ProtocolException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    int stop = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, start, stop - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return line;
                }
            }
            scanned = end;
            if (end - start > maxLineBytes + 1) { // + 1: room for the '\r' of a line of exactly the cap
                throw new ProtocolException("line longer than " + maxLineBytes + " bytes");
            }
            if (eof) {
                if (start == end) {
                    return null;
                }
                String last = new String(buf, start, end - start, StandardCharsets.UTF_8);
                start = end;
                return last;
            }
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scanned -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.receive(buf, end, buf.length - end);
            if (n <= 0) {
                eof = true;
            } else {
                end += n;
            }
        }
    }
}
