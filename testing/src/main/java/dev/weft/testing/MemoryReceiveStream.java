package dev.weft.testing;

import dev.weft.annotation.Async;
import dev.weft.stream.ReceiveStream;

/**
 * The receiving end of an in-memory one-way stream; see {@link MemoryPipe} for the model and
 * {@link MemoryStreams} for how to make one.
 */
final class MemoryReceiveStream implements ReceiveStream {
    private final MemoryPipe pipe;

    MemoryReceiveStream(MemoryPipe pipe) {
        this.pipe = pipe;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the queued bytes, waiting while there are none; -1 once the send stream is
     * closed and every byte has been taken.
     */
    @Async
    @Override
    public int receive(byte[] buf, int off, int len) {
        return pipe.receive(buf, off, len);
    }

    /**
     * Closes the receiving end and drops the queued bytes: a receive blocked meanwhile gets
     * {@link dev.weft.ClosedResourceException}, and sends get
     * {@link dev.weft.BrokenResourceException}. Idempotent. A checkpoint.
     */
    @Async
    @Override
    public void close() {
        pipe.closeReceiver();
    }

    @Override
    public String toString() {
        return "MemoryReceiveStream[" + pipe + "]";
    }
}
