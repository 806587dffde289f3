package dev.weft.signal;

import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.RunToken;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Receives operating-system signals as a stream of signal numbers, inside a block: Trio's
 * {@code open_signal_receiver}. While the block runs, the named signals no longer take
 * their usual action (for HUP or TERM, ending the JVM); they are delivered to the block's
 * {@link SignalReceiver} instead. When the block exits, the previous handlers are back, and
 * signals that arrived but were not taken are raised again, so they reach those handlers
 * (no signal that arrives just before the exit is lost).
 * {@snippet :
 * Signals.receive(Set.of("HUP"), signals -> {
 *     while (true) {
 *         signals.next();          // waits for SIGHUP
 *         reloadConfiguration();
 *     }
 * });
 * }
 *
 * <h2>Which signals</h2>
 * Names are given with or without the {@code SIG} prefix ({@code "HUP"}, {@code "SIGUSR1"}).
 * On HotSpot (JDK 17 and 25, Linux) USR1, USR2, HUP, WINCH, TERM and INT can be received;
 * QUIT is the JVM's own (thread dumps) and refused, and so is any signal when the JVM runs
 * with {@code -Xrs}. Other signals the JVM accepts (PIPE, CHLD, ...) are best left alone.
 *
 * <h2>INT and the run's interrupt handler</h2>
 * A run started with {@code handleInterrupts(true)} (the default) owns SIGINT: Ctrl+C
 * cancels the run. A block that receives {@code "INT"} takes SIGINT over for as long as it
 * runs, so Ctrl+C reaches the block instead of interrupting the run; when the block exits,
 * the run's handler is back. Nested blocks for the same signal work the same way: the inner
 * one has it while it runs.
 *
 * <p>Handlers are process-wide: two runs that receive the same signal at once take it from
 * each other, the later one winning until it exits.
 *
 * <p>Memory consistency effects: the signal is handled on the JVM's signal thread, which hands
 * it to the run through its {@link RunToken}; {@link SignalReceiver#next()} returns on the run's
 * thread.
 */
public final class Signals {
    /** Every signal this class has seen, by number, to raise signals again by number. */
    private static final Map<Integer, Signal> BY_NUMBER = new ConcurrentHashMap<>();

    private Signals() {
    }

    /**
     * Redirects the named signals to a receiver while {@code body} runs, then restores the
     * previous handlers. Not a checkpoint of its own; {@code body}'s are.
     *
     * @param names the signals, e.g. {@code Set.of("HUP", "USR1")}
     * @param body the code that takes them
     * @param <X> the checked exception the body may throw
     * @throws X what the body threw
     * @throws IllegalArgumentException if {@code names} is empty, names an unknown signal, or
     *     one the JVM refuses to hand over (QUIT; any under {@code -Xrs}); then no handler has
     *     changed
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static <X extends Exception> void receive(Set<String> names, SignalBody<X> body) throws X {
        Objects.requireNonNull(body, "body");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Signals.receive: no signal was named; name at least one, e.g. \"HUP\"");
        }
        RunToken token = Lowlevel.currentRunToken();
        List<Signal> signals = new ArrayList<>();
        for (String name : names) {
            signals.add(signal(name));
        }
        SignalReceiver receiver = new SignalReceiver();
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        try {
            for (Signal s : signals) {
                SignalHandler handler = sig -> deliver(token, receiver, sig);
                try {
                    previous.put(s, Signal.handle(s, handler));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Signals.receive: the JVM refuses to hand over SIG" + s.getName()
                            + " (" + e.getMessage() + "); QUIT is the JVM's own, and -Xrs reserves them all", e);
                }
            }
        } catch (RuntimeException | Error e) {
            restore(previous);
            throw e;
        }
        try {
            body.run(receiver);
        } finally {
            restore(previous);
            receiver.markHandlersRestored();
            receiver.close();
        }
    }

    private static void deliver(RunToken token, SignalReceiver receiver, Signal sig) {
        try {
            token.runSoon(() -> receiver.add(sig));
        } catch (IllegalStateException runEnded) {
            if (receiver.handlersRestored()) {
                // Dispatched to this handler just before the block restored the previous one:
                // that one gets it now.
                Signal.raise(sig);
            } else {
                System.err.println("[weft] SIG" + sig.getName() + " arrived for a Signals.receive block whose run "
                        + "has ended without leaving the block; the signal is dropped");
            }
        }
    }

    private static void restore(Map<Signal, SignalHandler> previous) {
        List<Map.Entry<Signal, SignalHandler>> entries = new ArrayList<>(previous.entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            Signal.handle(entries.get(i).getKey(), entries.get(i).getValue());
        }
    }

    /**
     * Returns the number of a signal, as the operating system numbers it. Not a checkpoint.
     *
     * @param name the name, with or without {@code SIG}
     * @return its number (HUP is 1, USR1 is 10 on Linux)
     * @throws IllegalArgumentException if the name is unknown
     */
    public static int number(String name) {
        return signal(name).getNumber();
    }

    private static Signal signal(String name) {
        Objects.requireNonNull(name, "name");
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        Signal s;
        try {
            s = new Signal(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown signal \"" + name + "\": " + e.getMessage(), e);
        }
        BY_NUMBER.putIfAbsent(s.getNumber(), s);
        return s;
    }

    static Signal byNumber(int number) {
        return BY_NUMBER.get(number);
    }
}
