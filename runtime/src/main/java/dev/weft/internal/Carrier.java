package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's record of which {@link Continuation} it is running.
 *
 * <p>Woven code asks for the current continuation on entry to every woven method, so the
 * look-up must be cheap: a {@code ThreadLocal} costs about ten times a static field on a
 * chain of calls (see DESIGN.md). One thread at a time, the first to run a continuation,
 * claims the static {@link #fast} slot and finds its carrier through it; any other thread
 * falls back to a {@code ThreadLocal}. A slot held by a thread that has died is claimed
 * again by the next thread that looks.
 */
final class Carrier {
    private static final ThreadLocal<Carrier> BY_THREAD = ThreadLocal.withInitial(Carrier::new);
    private static final VarHandle FAST;

    static {
        try {
            FAST = MethodHandles.lookup().findStaticVarHandle(Carrier.class, "fast", Carrier.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The carrier of the thread that claimed the fast path, or null.
     * Written by: {@link #slowLookup()} (compare-and-set from null or from a dead thread's carrier).
     * Read by: every thread in {@link #current()}.
     * Invariant: a thread finds its own carrier here only if it stored it itself, so a racy
     * read never hands a thread another thread's carrier ({@link #thread} is final).
     */
    @SuppressWarnings("unused") // accessed through FAST and directly
    private static Carrier fast;

    /** The thread this carrier belongs to. */
    final Thread thread = Thread.currentThread();

    /** What woven code sees when no continuation runs on this thread: never suspends. */
    final Continuation detached = Continuation.detached();

    /**
     * The continuation running on {@link #thread}, or {@link #detached}.
     * Written and read only by {@link #thread}.
     */
    Continuation running = detached;

    private Carrier() {
    }

    /** The calling thread's carrier. */
    static Carrier current() {
        Carrier f = fast;
        if (f != null && f.thread == Thread.currentThread()) {
            return f;
        }
        return slowLookup();
    }

    private static Carrier slowLookup() {
        Carrier mine = BY_THREAD.get();
        Carrier f = fast;
        if (f == null || !f.thread.isAlive()) {
            FAST.compareAndSet(f, mine);
        }
        return mine;
    }
}
