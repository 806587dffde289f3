package dev.weft.stream;

import dev.weft.annotation.Async;

/**
 * A {@link Stream} whose sending side can be closed on its own, as TCP's {@code shutdown}:
 * Trio's {@code trio.abc.HalfCloseableStream}. After {@link #sendEof()} the peer's receives
 * return the end of the stream once they have every byte sent before; this side can still
 * receive what the peer sends.
 * {@snippet :
 * s.sendAll(request);
 * s.sendEof();                        // the server sees the end of the request
 * byte[] reply = s.receiveSome(4096); // and can still answer
 * }
 *
 * <h2>States of the sending side</h2>
 * <pre>
 *   OPEN --sendEof--> EOF_SENT --close--> CLOSED
 *     \------------------close----------/
 * </pre>
 * In {@code EOF_SENT}, {@code sendAll} and {@code waitSendAllMightNotBlock} throw
 * {@link dev.weft.ClosedResourceException}; {@code sendEof} again does nothing but
 * checkpoint; receives go on.
 */
public interface HalfCloseableStream extends Stream {

    /**
     * Sends the end of the stream: the peer's receives return it after the bytes sent
     * before. Idempotent. Sends fail from then on; receives go on. A checkpoint; if it is
     * cancelled, the end of the stream may or may not have been sent.
     *
     * @throws dev.weft.ClosedResourceException if the stream is closed
     * @throws dev.weft.BusyResourceException if another task is sending
     * @throws dev.weft.BrokenResourceException if the stream failed
     * @throws dev.weft.Cancelled if the task is cancelled
     */
    @Async
    void sendEof();
}
