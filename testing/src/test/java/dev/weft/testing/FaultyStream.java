package dev.weft.testing;

import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.HalfCloseableStream;
import dev.weft.sync.Lock;

/**
 * A {@link HalfCloseableStream} that delegates to a working one except for one deliberate
 * {@link Fault}: the broken streams on which {@link CloggedStreamChecksTest} proves that each
 * clogged check can fail.
 */
final class FaultyStream implements HalfCloseableStream {

    /** What this stream does wrong. */
    enum Fault {
        /** {@code waitSendAllMightNotBlock} only checkpoints, even on a clogged stream. */
        WAIT_RETURNS_AT_ONCE,
        /** {@code waitSendAllMightNotBlock} sleeps forever: never busy, never woken by a close. */
        WAIT_NEVER_RETURNS,
        /** A second {@code sendAll} waits for the first instead of throwing busy. */
        SENDS_QUEUE_UP,
        /** A {@code sendAll} whose stream was closed returns as if it had sent. */
        SEND_ALL_IGNORES_CLOSE,
        /** A cancelled {@code sendAll} returns as if it had sent. */
        SEND_ALL_SWALLOWS_CANCELLED,
        /** {@code sendEof} only checkpoints, even while another task sends. */
        SEND_EOF_IGNORES_BUSY,
    }

    private final HalfCloseableStream delegate;
    private final Fault fault;
    private final Lock sendLock = new Lock();

    FaultyStream(HalfCloseableStream delegate, Fault fault) {
        this.delegate = delegate;
        this.fault = fault;
    }

    /**
     * Wraps the first end of a lockstep pair, which is clogged as made.
     *
     * @param fault what the first end does wrong
     * @return a clogged pair whose first end is faulty
     */
    static StreamPair<HalfCloseableStream, HalfCloseableStream> cloggedPair(Fault fault) {
        StreamPair<HalfCloseableStream, HalfCloseableStream> p = MemoryStreams.lockstepStreamPair();
        return new StreamPair<>(new FaultyStream(p.first(), fault), p.second());
    }

    @Async
    @Override
    public void sendAll(byte[] data, int off, int len) {
        switch (fault) {
            case SENDS_QUEUE_UP -> {
                sendLock.acquire();
                try {
                    delegate.sendAll(data, off, len);
                } finally {
                    sendLock.release();
                }
            }
            case SEND_ALL_IGNORES_CLOSE -> {
                try {
                    delegate.sendAll(data, off, len);
                } catch (ClosedResourceException e) {
                    // The fault: pretend the bytes went out.
                }
            }
            case SEND_ALL_SWALLOWS_CANCELLED -> {
                try {
                    delegate.sendAll(data, off, len);
                } catch (Cancelled e) {
                    // The fault: pretend the bytes went out.
                }
            }
            default -> delegate.sendAll(data, off, len);
        }
    }

    @Async
    @Override
    public void waitSendAllMightNotBlock() {
        switch (fault) {
            case WAIT_RETURNS_AT_ONCE -> Weft.checkpoint();
            case WAIT_NEVER_RETURNS -> Weft.sleepForever();
            default -> delegate.waitSendAllMightNotBlock();
        }
    }

    @Async
    @Override
    public void sendEof() {
        if (fault == Fault.SEND_EOF_IGNORES_BUSY) {
            Weft.checkpoint();
        } else {
            delegate.sendEof();
        }
    }

    @Async
    @Override
    public int receive(byte[] buf, int off, int len) {
        return delegate.receive(buf, off, len);
    }

    @Async
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "FaultyStream[" + fault + ", " + delegate + "]";
    }
}
