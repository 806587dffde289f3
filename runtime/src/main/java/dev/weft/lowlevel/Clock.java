package dev.weft.lowlevel;

/**
 * The source of a run's time: what {@code Weft.currentTime()} reads and what deadlines are
 * measured against. The default is {@link #system()}; {@code dev.weft.testing.MockClock}
 * gives tests virtual time.
 *
 * <p>Times are in seconds, as {@code double}, from an arbitrary origin fixed when the run
 * starts. A clock's methods are called on the scheduler thread only.
 */
public interface Clock {

    /** Called once when the run starts, before any other method. */
    default void start() {
    }

    /**
     * Returns the current time.
     *
     * @return seconds since this clock's origin; never decreases
     */
    double currentTime();

    /**
     * Converts a deadline into how long the scheduler may block waiting for it, in real
     * seconds.
     *
     * @param deadline a time on this clock, possibly {@link Double#POSITIVE_INFINITY}
     * @return real seconds to wait, at least 0, possibly infinite
     */
    double deadlineToSleepTime(double deadline);

    /**
     * How long, in real seconds, the run may sit idle (every task blocked, nothing due)
     * before the scheduler calls {@link #autojump()}; infinite (the default) disables it.
     *
     * @return the threshold
     */
    default double autojumpThreshold() {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Jumps to the next deadline: called when the run has been idle for
     * {@link #autojumpThreshold()}.
     *
     * @param nextDeadline the earliest pending deadline, or infinity if none
     */
    default void autojump(double nextDeadline) {
    }

    /**
     * The real-time clock: {@link System#nanoTime()} in seconds from the start of the run.
     *
     * @return a new system clock
     */
    static Clock system() {
        return new Clock() {
            private long origin;

            @Override
            public void start() {
                origin = System.nanoTime();
            }

            @Override
            public double currentTime() {
                return (System.nanoTime() - origin) / 1e9;
            }

            @Override
            public double deadlineToSleepTime(double deadline) {
                return Math.max(0, deadline - currentTime());
            }

            @Override
            public String toString() {
                return "SystemClock";
            }
        };
    }
}
