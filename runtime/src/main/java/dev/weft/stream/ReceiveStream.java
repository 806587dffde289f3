package dev.weft.stream;

import dev.weft.annotation.Async;
import java.util.Arrays;

/**
 * A source of bytes that tasks receive from: Trio's {@code trio.abc.ReceiveStream}. The
 * stream has no message boundaries: a receive returns whatever has arrived, at least one
 * byte, or the end of the stream.
 * {@snippet :
 * byte[] buf = new byte[8192];
 * for (int n; (n = in.receive(buf)) != -1; ) {
 *     out.write(buf, 0, n);
 * }
 * }
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Every receive is a checkpoint, also when bytes are already buffered.
 *   <li>One task at a time: a second task that receives while one is blocked in a receive gets
 *       {@link dev.weft.BusyResourceException}.
 *   <li>A cancelled receive loses no data: whatever arrives later is returned by the next
 *       receive.
 *   <li>After {@link #close()}, every receive throws {@link dev.weft.ClosedResourceException},
 *       and so does a receive that was blocked when another task closed the stream. A failure
 *       of the underlying source is {@link dev.weft.BrokenResourceException}, with the cause.
 * </ul>
 */
public interface ReceiveStream extends AsyncResource {

    /**
     * Receives at least one byte into {@code buf[off, off + len)}, waiting until some arrive,
     * or returns -1 at the end of the stream. Returns 0 only when {@code len} is 0. A
     * checkpoint.
     *
     * @param buf where to put the bytes
     * @param off the first index to fill
     * @param len the most bytes to receive
     * @return how many bytes were received, or -1 at the end of the stream
     * @throws IndexOutOfBoundsException if the range is not within {@code buf}
     * @throws dev.weft.ClosedResourceException if the stream is closed (also by another task
     *     while this one waited)
     * @throws dev.weft.BrokenResourceException if the source failed
     * @throws BusyResourceException if another task is receiving
     * @throws dev.weft.Cancelled if the task is cancelled; no byte is lost
     */
    @Async
    int receive(byte[] buf, int off, int len);

    /**
     * Receives into the whole of {@code buf}; see {@link #receive(byte[], int, int)}. A
     * checkpoint.
     *
     * @param buf where to put the bytes
     * @return how many bytes were received, or -1 at the end of the stream
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws dev.weft.BrokenResourceException if the source failed
     * @throws BusyResourceException if another task is receiving
     */
    @Async
    default int receive(byte[] buf) {
        return receive(buf, 0, buf.length);
    }

    /**
     * Receives at most {@code maxBytes} bytes as a new array, waiting until some arrive; an
     * empty array means the end of the stream (Trio's {@code receive_some}). A checkpoint.
     *
     * @param maxBytes the most bytes to return, at least 1
     * @return the bytes, or an empty array at the end of the stream
     * @throws IllegalArgumentException if {@code maxBytes} is less than 1
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws dev.weft.BrokenResourceException if the source failed
     * @throws BusyResourceException if another task is receiving
     */
    @Async
    default byte[] receiveSome(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
        }
        byte[] buf = new byte[maxBytes];
        int n = receive(buf, 0, maxBytes);
        return n < 0 ? new byte[0] : n == maxBytes ? buf : Arrays.copyOf(buf, n);
    }
}
