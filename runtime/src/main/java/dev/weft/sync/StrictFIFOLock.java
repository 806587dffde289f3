package dev.weft.sync;

/**
 * A {@link Lock} that promises tasks get it in strict first-come, first-served order:
 * Trio's {@code StrictFIFOLock}.
 *
 * <p>Use it when correctness depends on that order, not only fairness. The typical case is
 * a shared protocol state machine (an HTTP/2 connection, a TLS stream) where any task may
 * produce a chunk that must go out on the wire in the order the state machine made it. Do
 * every interaction with the state machine between two checkpoints, so it is atomic, and
 * take the lock only to send:
 * {@snippet :
 * machine.handle(event);                 // no checkpoint from here ...
 * byte[] chunk = machine.dataToSend();   // ... to here: nobody else sees the chunk
 * if (chunk != null) {
 *     fifo.acquire();                    // ... and this queues us in the order the chunks were made
 *     try {
 *         connection.sendAll(chunk);
 *     } finally {
 *         fifo.release();
 *     }
 * }
 * }
 * Today every {@link Lock} behaves this way: both hand the lock to the longest waiter and
 * queue in arrival order. The separate type records that the code relies on it, so it stays
 * true if {@code Lock} ever trades strict order for throughput (Trio keeps the two apart for
 * the same reason).
 *
 * <p>Everything else, including breaking when the owner exits and the use in a
 * {@link Condition}, is as for {@link Lock}.
 */
public final class StrictFIFOLock extends Lock {

    /** Creates an unlocked lock. */
    public StrictFIFOLock() {
    }
}
