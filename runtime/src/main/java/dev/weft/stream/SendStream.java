package dev.weft.stream;

import dev.weft.annotation.Async;
import java.nio.ByteBuffer;

/**
 * A sink of bytes that tasks send to: Trio's {@code trio.abc.SendStream}.
 * {@snippet :
 * process.stdin().sendAll("hello\n".getBytes(StandardCharsets.UTF_8));
 * process.stdin().close();          // the child sees the end of its input
 * }
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Every send is a checkpoint.
 *   <li>One task at a time: a second task that sends while one is blocked in a send gets
 *       {@link BusyResourceException}.
 *   <li>A send that is cancelled may have sent some, all or none of its bytes; the stream
 *       stays usable, and bytes are never reordered.
 *   <li>After {@link #close()}, every send throws {@link dev.weft.ClosedResourceException},
 *       and so does a send that was blocked when another task closed the stream. When the
 *       other side has gone (a broken pipe), sends throw
 *       {@link dev.weft.BrokenResourceException}.
 * </ul>
 */
public interface SendStream extends AsyncResource {

    /**
     * Sends every byte of {@code data[off, off + len)}, waiting while the sink cannot take
     * them. The array may be reused as soon as this returns (or throws). A checkpoint.
     *
     * @param data the bytes
     * @param off the first index to send
     * @param len how many bytes
     * @throws IndexOutOfBoundsException if the range is not within {@code data}
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws dev.weft.BrokenResourceException if the other side has gone
     * @throws BusyResourceException if another task is sending
     * @throws dev.weft.Cancelled if the task is cancelled; some bytes may have been sent
     */
    @Async
    void sendAll(byte[] data, int off, int len);

    /**
     * Sends every byte of {@code data}; see {@link #sendAll(byte[], int, int)}. A checkpoint.
     *
     * @param data the bytes
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws dev.weft.BrokenResourceException if the other side has gone
     * @throws BusyResourceException if another task is sending
     */
    @Async
    default void sendAll(byte[] data) {
        sendAll(data, 0, data.length);
    }

    /**
     * Sends every remaining byte of {@code data} (from its position to its limit), then sets
     * its position to its limit; see {@link #sendAll(byte[], int, int)}. A checkpoint. If the
     * send fails or is cancelled, the position is unchanged, though some bytes may have been
     * sent.
     *
     * @implNote A heap buffer is sent from its array; a direct or read-only buffer's bytes are
     *     copied into a new array first.
     *
     * @param data the bytes
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws dev.weft.BrokenResourceException if the other side has gone
     * @throws BusyResourceException if another task is sending
     * @throws dev.weft.Cancelled if the task is cancelled; some bytes may have been sent
     */
    @Async
    default void sendAll(ByteBuffer data) {
        int n = data.remaining();
        if (data.hasArray()) {
            sendAll(data.array(), data.arrayOffset() + data.position(), n);
        } else {
            byte[] copy = new byte[n];
            data.duplicate().get(copy);
            sendAll(copy, 0, n);
        }
        data.position(data.limit());
    }

    /**
     * Waits until a {@code sendAll} would probably not block (Trio's
     * {@code wait_send_all_might_not_block}): for flow control. A checkpoint.
     *
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws BusyResourceException if another task is sending
     */
    @Async
    void waitSendAllMightNotBlock();
}
