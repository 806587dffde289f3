package dev.weft.testing;

import dev.weft.BrokenResourceException;
import dev.weft.BusyResourceException;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.sync.ParkingLot;
import java.util.Arrays;
import java.util.Objects;

/**
 * The shared state of one in-memory one-way stream: a byte queue between a
 * {@link MemorySendStream} and a {@link MemoryReceiveStream}, in one of two modes.
 * <ul>
 *   <li>Buffered (Trio's {@code memory_stream_one_way_pair}): the queue is unbounded, and a
 *       send returns once its bytes are queued.
 *   <li>Lockstep (Trio's {@code lockstep_stream_one_way_pair}): a send returns only once the
 *       receiver has taken every queued byte, and {@code waitSendAllMightNotBlock} waits
 *       until a receiver is waiting. The strictest flow control a stream can have, which
 *       shakes out code that assumes buffering.
 * </ul>
 *
 * <h2>Waiting</h2>
 * Every blocked task parks in the one lot {@link #changed}; every change of state unparks
 * all of them, and each re-checks its condition (Trio's {@code _something_happened}). A
 * parked task that is cancelled leaves the lot, so a cancelled receive has taken nothing,
 * and a cancelled lockstep send leaves its bytes queued.
 *
 * <h2>States</h2>
 * <pre>
 *   sender:   OPEN --closeSender--> CLOSED   (the receiver sees the end after the queued bytes)
 *   receiver: OPEN --closeReceiver--> CLOSED (the queue is dropped; sends are broken)
 * </pre>
 *
 * <p>All methods must be called from tasks of one run.
 */
final class MemoryPipe {
    private final boolean lockstep;
    private final String name;
    private final ParkingLot changed = new ParkingLot();

    // All fields below: written and read by tasks of the run, on its thread.

    /** Queued bytes: {@code queue[0, size)}. Invariant: empty once the receiver is closed. */
    private byte[] queue = new byte[64];
    private int size;
    /** Set by {@link #closeSender()}; never cleared. */
    private boolean senderClosed;
    /** Set by {@link #closeReceiver()}; never cleared. */
    private boolean receiverClosed;
    /** Whether a task is inside a send or {@link #waitSendAllMightNotBlock()}. */
    private boolean sending;
    /** Whether a task is inside {@link #receive}. */
    private boolean receiving;
    /** Whether a receive is waiting for bytes; lockstep senders wait for this. */
    private boolean receiverWaiting;

    MemoryPipe(boolean lockstep, String name) {
        this.lockstep = lockstep;
        this.name = name;
    }

    String name() {
        return name;
    }

    @Async
    void sendAll(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        beginSend("sendAll");
        try {
            Weft.checkpointIfCancelled();
            checkReceiverOpen("sendAll");
            append(data, off, len);
            changed.unparkAll();
            if (lockstep) {
                while (size > 0) {
                    changed.park();
                    checkSenderOpen("sendAll");
                    checkReceiverOpen("sendAll");
                }
            }
            Weft.cancelShieldedCheckpoint();
        } finally {
            sending = false;
        }
    }

    @Async
    void waitSendAllMightNotBlock() {
        beginSend("waitSendAllMightNotBlock");
        try {
            Weft.checkpointIfCancelled();
            checkReceiverOpen("waitSendAllMightNotBlock");
            if (lockstep) {
                while (!receiverWaiting) {
                    changed.park();
                    checkSenderOpen("waitSendAllMightNotBlock");
                    checkReceiverOpen("waitSendAllMightNotBlock");
                }
            }
            Weft.cancelShieldedCheckpoint();
        } finally {
            sending = false;
        }
    }

    @Async
    void closeSender() {
        if (!senderClosed) {
            senderClosed = true;
            changed.unparkAll();
        }
        Weft.checkpoint();
    }

    @Async
    int receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkReceiverOpenLocally("receive");
        if (receiving) {
            throw new BusyResourceException(name + ": another task is already receiving from this stream");
        }
        receiving = true;
        try {
            Weft.checkpointIfCancelled();
            if (len == 0) {
                Weft.cancelShieldedCheckpoint();
                return 0;
            }
            receiverWaiting = true;
            changed.unparkAll();
            try {
                while (size == 0 && !senderClosed) {
                    changed.park();
                    checkReceiverOpenLocally("receive");
                }
            } finally {
                receiverWaiting = false;
            }
            int n = size == 0 ? -1 : take(buf, off, len);
            changed.unparkAll();
            Weft.cancelShieldedCheckpoint();
            return n;
        } finally {
            receiving = false;
        }
    }

    @Async
    void closeReceiver() {
        if (!receiverClosed) {
            receiverClosed = true;
            queue = new byte[0];
            size = 0;
            changed.unparkAll();
        }
        Weft.checkpoint();
    }

    private void beginSend(String what) {
        checkSenderOpen(what);
        if (sending) {
            throw new BusyResourceException(name + ": another task is already sending on this stream");
        }
        sending = true;
    }

    private void checkSenderOpen(String what) {
        if (senderClosed) {
            throw new ClosedResourceException(name + ": " + what + " on a closed send stream");
        }
    }

    private void checkReceiverOpen(String what) {
        if (receiverClosed) {
            throw new BrokenResourceException(name + ": " + what + " after the receive stream was closed");
        }
    }

    private void checkReceiverOpenLocally(String what) {
        if (receiverClosed) {
            throw new ClosedResourceException(name + ": " + what + " on a closed receive stream");
        }
    }

    private void append(byte[] data, int off, int len) {
        if (size + len > queue.length) {
            queue = Arrays.copyOf(queue, Math.max(queue.length * 2, size + len));
        }
        System.arraycopy(data, off, queue, size, len);
        size += len;
    }

    private int take(byte[] buf, int off, int len) {
        int n = Math.min(len, size);
        System.arraycopy(queue, 0, buf, off, n);
        System.arraycopy(queue, n, queue, 0, size - n);
        size -= n;
        return n;
    }

    @Override
    public String toString() {
        return name + "[" + (lockstep ? "lockstep" : "buffered") + ", " + size + " bytes queued"
                + (senderClosed ? ", sender closed" : "") + (receiverClosed ? ", receiver closed" : "") + "]";
    }
}
