package dev.weft.internal;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl+C (SIGINT) into an interrupt of one run while it lasts. The first SIGINT
 * interrupts the run, which then unwinds through its tasks' {@code finally} blocks; a second
 * one, if the run has not ended, gives the signal back to the previous handler (by default
 * the JVM exits), so a run stuck in code without checkpoints can still be stopped.
 *
 * <p>One run at a time owns SIGINT; a run that starts while another owns it leaves the
 * signal alone.
 */
final class InterruptHandler implements SignalHandler {
    private static final Signal SIGINT = new Signal("INT");
    private static final AtomicReference<InterruptHandler> OWNER = new AtomicReference<>();

    private final RunLoop loop;
    private SignalHandler previous;
    private volatile int count;

    private InterruptHandler(RunLoop loop) {
        this.loop = loop;
    }

    /** Installs a handler for {@code loop}, or returns null if another run owns SIGINT or signals are unavailable. */
    static InterruptHandler install(RunLoop loop) {
        InterruptHandler h = new InterruptHandler(loop);
        if (!OWNER.compareAndSet(null, h)) {
            return null;
        }
        try {
            h.previous = Signal.handle(SIGINT, h);
            return h;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            OWNER.set(null);
            return null;
        }
    }

    void uninstall() {
        try {
            Signal.handle(SIGINT, previous);
        } finally {
            OWNER.compareAndSet(this, null);
        }
    }

    @Override
    public void handle(Signal signal) {
        if (count++ == 0) {
            loop.interrupt("SIGINT");
            return;
        }
        SignalHandler p = previous;
        if (p == SignalHandler.SIG_DFL || p == SignalHandler.SIG_IGN || p == null) {
            Signal.handle(SIGINT, SignalHandler.SIG_DFL);
            Signal.raise(SIGINT);
        } else {
            p.handle(signal);
        }
    }
}
