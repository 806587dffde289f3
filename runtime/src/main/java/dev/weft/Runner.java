package dev.weft;

import dev.weft.internal.RunLoop;
import dev.weft.internal.Sneaky;
import dev.weft.lowlevel.Clock;
import dev.weft.lowlevel.Instrument;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Configures and starts runs: the builder behind {@link Weft#run}.
 * {@snippet :
 * MockClock clock = new MockClock();
 * String s = Weft.runner().clock(clock).randomOrder(42).run(() -> fetchAll());
 * }
 *
 * <h2>Scheduling order</h2>
 * Tasks that become runnable together form a batch, and the order within a batch is
 * unspecified. By default it is random, from a seed (the system property {@code weft.seed}
 * if set, else a fresh random one), so that code relying on an order it was never promised
 * fails in tests. When a run with random order fails, its failure carries the seed as a
 * suppressed exception, so the same order can be replayed with
 * {@link #randomOrder(long)}. {@link #fifoOrder()} runs each batch in the order its tasks
 * became runnable.
 *
 * <p>A runner may start several runs, one after another or on different threads; each run
 * uses the settings the runner had when it started. A runner is not thread-safe while being
 * configured.
 */
public final class Runner {
    private Clock clock;
    private final List<Instrument> instruments = new ArrayList<>();
    private RunLoop.Order order = RunLoop.Order.RANDOM;
    private Long seed;
    private boolean spawnSites = true;
    private boolean handleInterrupts = true;
    private volatile RunLoop active;

    Runner() {
    }

    /**
     * Sets the clock (default: the system clock).
     *
     * @param clock the clock, for instance a {@code MockClock}
     * @return this runner
     */
    public Runner clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Adds an instrument, called in the order added. Adding one twice changes nothing.
     *
     * @param instrument the instrument
     * @return this runner
     */
    public Runner instrument(Instrument instrument) {
        Objects.requireNonNull(instrument, "instrument");
        if (!instruments.contains(instrument)) {
            instruments.add(instrument);
        }
        return this;
    }

    /**
     * Runs each batch in a random order drawn from {@code seed}.
     *
     * @param seed the seed
     * @return this runner
     */
    public Runner randomOrder(long seed) {
        this.order = RunLoop.Order.RANDOM;
        this.seed = seed;
        return this;
    }

    /**
     * Runs each batch in the order its tasks became runnable.
     *
     * @return this runner
     */
    public Runner fifoOrder() {
        this.order = RunLoop.Order.FIFO;
        return this;
    }

    /**
     * Sets whether each task records where it was spawned (default true), so that its
     * failure's stack trace shows the {@code startSoon} call as a suppressed exception.
     *
     * @implNote Recording costs one stack capture per spawned task, about a microsecond.
     * @param record whether to record
     * @return this runner
     */
    public Runner spawnSites(boolean record) {
        this.spawnSites = record;
        return this;
    }

    /**
     * Sets whether Ctrl+C (SIGINT) interrupts the run (default true). Only one run at a time
     * in a JVM takes SIGINT.
     *
     * @param handle whether to handle SIGINT
     * @return this runner
     */
    public Runner handleInterrupts(boolean handle) {
        this.handleInterrupts = handle;
        return this;
    }

    /**
     * Runs {@code main} as the main task on the calling thread, and returns once it and
     * every other task of the run have ended.
     *
     * @param main the main task's body
     * @param <T> its value's type
     * @return main's value
     * @throws Exception what main threw, bare (not wrapped)
     * @throws RunInterruptedException if the run was interrupted and main ended through
     *     the cancellation that caused
     * @throws IllegalStateException if called inside a run
     */
    @SuppressWarnings("unchecked")
    public <T> T run(AsyncCallable<T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        long s = seed != null ? seed : Long.getLong("weft.seed", ThreadLocalRandom.current().nextLong());
        RunLoop loop = new RunLoop(clock != null ? clock : Clock.system(), instruments, order, s, spawnSites,
                handleInterrupts);
        active = loop;
        try {
            return (T) loop.run(main);
        } catch (Cancelled c) {
            if (loop.wasInterrupted()) {
                throw new RunInterruptedException("the run was interrupted (" + c.reason().detail() + ")", c);
            }
            throw Sneaky.rethrow(withSeed(c, loop));
        } catch (Throwable t) {
            throw Sneaky.rethrow(withSeed(t, loop));
        } finally {
            active = null;
        }
    }

    /**
     * Runs {@code main}, which returns nothing; see {@link #run(AsyncCallable)}.
     *
     * @param main the main task's body
     * @throws Exception what main threw, bare
     */
    public void run(AsyncRunnable main) throws Exception {
        Objects.requireNonNull(main, "main");
        run(new RunnableEntry(main));
    }

    /**
     * Interrupts the run this runner is running, as Ctrl+C would. Callable from any thread.
     *
     * @return false if no run of this runner is active
     */
    public boolean interrupt() {
        RunLoop loop = active;
        return loop != null && loop.interrupt("Runner.interrupt()");
    }

    private Throwable withSeed(Throwable t, RunLoop loop) {
        if (order == RunLoop.Order.RANDOM) {
            t.addSuppressed(new SchedulingSeed(loop.seed()));
        }
        return t;
    }

    /** Records the seed of a failed run on its failure. */
    static final class SchedulingSeed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchedulingSeed(long seed) {
            super("Weft scheduling seed " + seed + ": replay this order with Weft.runner().randomOrder(" + seed
                    + "L) or -Dweft.seed=" + seed, null, false, false);
        }
    }
}
