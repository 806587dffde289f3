package dev.weft.stream;

import dev.weft.BusyResourceException;
import dev.weft.annotation.Async;
import java.util.Objects;

/**
 * A {@link SendStream} and a {@link ReceiveStream} joined into one {@link Stream}: Trio's
 * {@code trio.StapledStream}. Sends go to the send stream, receives come from the receive
 * stream; the two stay independent (one task may send while another receives).
 * {@snippet :
 * WeftProcess p = Processes.start(List.of("cat"));
 * Stream s = new StapledStream(p.stdin(), p.stdout());
 * s.sendAll(bytes);
 * s.sendEof();                        // closes the child's stdin
 * }
 *
 * <h2>Rules</h2>
 * Each method keeps the rules, the checkpoint and the failures of the stream it delegates to;
 * in particular busy, closed and broken states are those of the two parts.
 * {@link #sendEof()} is the send stream's own {@code sendEof()} if it is a
 * {@link HalfCloseableStream}, and otherwise closes the send stream, unless another task is
 * inside a send through this stapled stream: then it throws {@link BusyResourceException},
 * as {@link HalfCloseableStream#sendEof()} requires. {@link #close()} closes both parts, the
 * send stream first.
 *
 * <p>Memory consistency effects: none beyond those of the parts; a stapled stream's only
 * state of its own is how many of its sends are in progress.
 */
public final class StapledStream implements HalfCloseableStream {
    private final SendStream sendStream;
    private final ReceiveStream receiveStream;
    /**
     * How many tasks are inside {@link #sendAll} or {@link #waitSendAllMightNotBlock} of this
     * stream (more than one only while the send stream is rejecting the others as busy).
     * Written by those methods, read by {@link #sendEof()}, all on the run's thread.
     * Invariant: 0 when no task is inside them.
     */
    private int sendsInProgress;

    /**
     * Staples {@code sendStream} and {@code receiveStream} together. The new stream owns
     * both and closes both. Not a checkpoint.
     *
     * @param sendStream where sends go
     * @param receiveStream where receives come from
     * @throws NullPointerException if either is null
     */
    public StapledStream(SendStream sendStream, ReceiveStream receiveStream) {
        this.sendStream = Objects.requireNonNull(sendStream, "sendStream");
        this.receiveStream = Objects.requireNonNull(receiveStream, "receiveStream");
    }

    /**
     * Returns the stream sends go to. Not a checkpoint.
     *
     * @return the send stream
     */
    public SendStream sendStream() {
        return sendStream;
    }

    /**
     * Returns the stream receives come from. Not a checkpoint.
     *
     * @return the receive stream
     */
    public ReceiveStream receiveStream() {
        return receiveStream;
    }

    /** Sends through {@link #sendStream()}; see {@link SendStream#sendAll(byte[], int, int)}. A checkpoint. */
    @Async
    @Override
    public void sendAll(byte[] data, int off, int len) {
        sendsInProgress++;
        try {
            sendStream.sendAll(data, off, len);
        } finally {
            sendsInProgress--;
        }
    }

    /** Waits on {@link #sendStream()}; see {@link SendStream#waitSendAllMightNotBlock()}. A checkpoint. */
    @Async
    @Override
    public void waitSendAllMightNotBlock() {
        sendsInProgress++;
        try {
            sendStream.waitSendAllMightNotBlock();
        } finally {
            sendsInProgress--;
        }
    }

    /**
     * Sends the end of the stream: {@code sendEof()} of the send stream if it is a
     * {@link HalfCloseableStream}, and otherwise {@code close()} of the send stream. A
     * checkpoint.
     *
     * @throws dev.weft.ClosedResourceException if the send stream is a half-closeable stream
     *     that is closed
     * @throws BusyResourceException if another task is sending (for a plain send
     *     stream: is inside {@link #sendAll} or {@link #waitSendAllMightNotBlock} of this
     *     stapled stream)
     * @throws dev.weft.Cancelled if the task is cancelled
     */
    @Async
    @Override
    public void sendEof() {
        if (sendStream instanceof HalfCloseableStream h) {
            h.sendEof();
        } else {
            if (sendsInProgress > 0) {
                throw new BusyResourceException(this + ": sendEof while another task is sending on this stream");
            }
            sendStream.close();
        }
    }

    /** Receives from {@link #receiveStream()}; see {@link ReceiveStream#receive(byte[], int, int)}. A checkpoint. */
    @Async
    @Override
    public int receive(byte[] buf, int off, int len) {
        return receiveStream.receive(buf, off, len);
    }

    /**
     * Closes the send stream, then the receive stream, even if closing the first fails or
     * is cancelled. A checkpoint.
     *
     * @throws dev.weft.Cancelled if the task is cancelled; both parts are closed anyway
     */
    @Async
    @Override
    public void close() {
        try {
            sendStream.close();
        } finally {
            receiveStream.close();
        }
    }

    @Override
    public String toString() {
        return "StapledStream[send=" + sendStream + ", receive=" + receiveStream + "]";
    }
}
