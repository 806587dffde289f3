package dev.weft.signal;

import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import dev.weft.BusyResourceException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import sun.misc.Signal;

/**
 * The signals that arrived inside a {@link Signals#receive} block and have not been taken yet:
 * Trio's signal receiver. {@link #next()} waits for the next one and returns its number.
 *
 * <p>Signals are coalesced, as the operating system does: a signal that arrives again before
 * the first arrival was taken is kept once. They are handed out in the order they first
 * arrived.
 *
 * <p>One task at a time may take signals; the receiver works only inside its block. Its
 * methods must be called from tasks of the run that opened it.
 */
public final class SignalReceiver {
    /** Signal numbers that arrived and were not taken, first arrival first. Run's thread only. */
    private final LinkedHashSet<Integer> pending = new LinkedHashSet<>();
    /** The task parked in {@link #next()}, or null. Run's thread only. */
    private Task waiter;
    /** True while a task is inside {@link #next()}. Run's thread only. */
    private boolean busy;
    /**
     * Set when the block has exited: signals that arrive later go back to the handler that was
     * restored. Run's thread only.
     */
    private boolean closed;
    /**
     * Set on the run's thread once the block has put the previous handlers back; read by the
     * JVM's signal thread, which must not raise a signal again while this receiver's handler
     * is still installed (it would come straight back).
     */
    private volatile boolean handlersRestored;

    SignalReceiver() {
    }

    void markHandlersRestored() {
        handlersRestored = true;
    }

    boolean handlersRestored() {
        return handlersRestored;
    }

    /**
     * Waits for the next signal and returns its number (e.g. 1 for HUP, 10 for USR1 on
     * Linux). A checkpoint, also when a signal is already pending.
     *
     * @return the signal's number
     * @throws ClosedResourceException if called after the block has exited
     * @throws BusyResourceException if another task is waiting in {@code next()}
     * @throws dev.weft.Cancelled if the task is cancelled; no signal is lost
     */
    @Async
    public int next() {
        if (closed) {
            throw new ClosedResourceException("SignalReceiver.next(): the Signals.receive block has exited");
        }
        if (busy) {
            throw new BusyResourceException("SignalReceiver.next(): another task is already waiting for a signal; "
                    + "only one task at a time may take signals from a receiver");
        }
        busy = true;
        try {
            if (pending.isEmpty()) {
                Task me = Lowlevel.currentTask();
                waiter = me;
                Lowlevel.park(cancelled -> {
                    waiter = null;
                    return AbortResult.SUCCEEDED;
                });
            } else {
                Weft.checkpoint();
            }
            return take();
        } finally {
            busy = false;
        }
    }

    /**
     * Takes a pending signal without waiting. Not a checkpoint.
     *
     * @return its number, or empty if none is pending
     * @throws ClosedResourceException if called after the block has exited
     */
    public OptionalInt tryNext() {
        if (closed) {
            throw new ClosedResourceException("SignalReceiver.tryNext(): the Signals.receive block has exited");
        }
        return pending.isEmpty() || busy ? OptionalInt.empty() : OptionalInt.of(take());
    }

    /** Returns how many distinct signals are pending. Not a checkpoint. @return the count */
    public int pendingCount() {
        return pending.size();
    }

    private int take() {
        Iterator<Integer> it = pending.iterator();
        int n = it.next();
        it.remove();
        return n;
    }

    /** A signal arrived (on the run's thread, posted by the handler). */
    void add(Signal signal) {
        if (closed) {
            raise(signal);
            return;
        }
        pending.add(signal.getNumber());
        Task w = waiter;
        if (w != null) {
            waiter = null;
            Lowlevel.reschedule(w, null);
        }
    }

    /**
     * The block has exited and the previous handlers are back: signals not taken are raised
     * again, so they reach those handlers (Trio's {@code _redeliver_remaining}). Run's thread.
     */
    void close() {
        closed = true;
        while (!pending.isEmpty()) {
            int n = take();
            raise(Signals.byNumber(n));
        }
    }

    private static void raise(Signal signal) {
        if (signal == null) {
            return;
        }
        try {
            Signal.raise(signal);
        } catch (IllegalArgumentException e) {
            System.err.println("[weft] could not redeliver SIG" + signal.getName() + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SignalReceiver[" + pending.size() + " pending" + (closed ? ", closed]" : "]");
    }
}
