package dev.weft.testing;

import dev.weft.annotation.Async;
import dev.weft.stream.SendStream;

/**
 * The sending end of an in-memory one-way stream; see {@link MemoryPipe} for the model and
 * {@link MemoryStreams} for how to make one. Closing it sends the end of the stream.
 */
final class MemorySendStream implements SendStream {
    private final MemoryPipe pipe;

    MemorySendStream(MemoryPipe pipe) {
        this.pipe = pipe;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A buffered stream queues the bytes; a lockstep stream also waits until the receiver
     * has taken them all. A cancelled lockstep send leaves its bytes queued.
     *
     * @throws dev.weft.BrokenResourceException if the receive stream is closed
     */
    @Async
    @Override
    public void sendAll(byte[] data, int off, int len) {
        pipe.sendAll(data, off, len);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only a checkpoint for a buffered stream; a lockstep stream waits until a receiver
     * waits.
     *
     * @throws dev.weft.BrokenResourceException if the receive stream is closed
     */
    @Async
    @Override
    public void waitSendAllMightNotBlock() {
        pipe.waitSendAllMightNotBlock();
    }

    /**
     * Closes the sending end: the receiver gets the queued bytes, then the end of the stream;
     * a send blocked meanwhile gets {@link dev.weft.ClosedResourceException}. Idempotent. A
     * checkpoint.
     */
    @Async
    @Override
    public void close() {
        pipe.closeSender();
    }

    @Override
    public String toString() {
        return "MemorySendStream[" + pipe + "]";
    }
}
