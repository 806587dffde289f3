package dev.weft.sync;

import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.MockClock;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one randomized program under many seeds, for property tests: seed {@code s} draws the
 * program from {@code new Random(s)} and schedules it with {@code randomOrder(s)} on a
 * {@link MockClock} with autojump, so each failure names one seed that replays it exactly. A
 * watchdog interrupts a run that takes more than a few real seconds, so a lost wake-up fails
 * instead of hanging the build.
 */
public final class SeededRuns {
    private static final long WATCHDOG_SECONDS = 10;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "seeded-runs-watchdog");
        t.setDaemon(true);
        return t;
    });

    private SeededRuns() {
    }

    /** A program drawn from a random source. */
    @FunctionalInterface
    public interface Program {
        /**
         * Runs the program as the main task.
         *
         * @param random the seed's source of choices
         * @throws Exception if a check fails
         */
        @Async
        void run(Random random) throws Exception;
    }

    /**
     * Runs {@code program} once per seed in {@code [1, seeds]}.
     *
     * @param what the property, for failure messages
     * @param seeds how many seeds
     * @param program the program
     * @throws AssertionError naming the seed, if a run fails or hangs
     */
    public static void forEachSeed(String what, int seeds, Program program) {
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            Runner runner = Weft.runner().clock(new MockClock().autojumpThreshold(0)).randomOrder(seed)
                    .handleInterrupts(false).spawnSites(false);
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(runner::interrupt, WATCHDOG_SECONDS, TimeUnit.SECONDS);
            try {
                runner.run(() -> program.run(new Random(s)));
            } catch (Throwable t) {
                throw new AssertionError(what + ": failed with seed " + seed + " (replay: randomOrder(" + seed
                        + "L) and new Random(" + seed + "L)): " + t, t);
            } finally {
                watchdog.cancel(false);
            }
        }
    }
}
