package dev.weft.testing;

import dev.weft.lowlevel.Clock;

/**
 * A clock for tests, whose time moves only when told to: Trio's {@code MockClock}.
 *
 * <p>It starts at 0 with rate 0 (time stands still) and an infinite autojump threshold.
 * {@link #jump(double)} moves time forward; a non-zero {@link #rate(double)} makes it follow
 * real time at that speed; an {@link #autojumpThreshold(double) autojump threshold} makes the
 * run jump straight to the next deadline whenever every task has been blocked for that many
 * real seconds, so a test of a one-hour timeout runs in milliseconds. With threshold 0 a test
 * sees only virtual time: a {@code sleep(Duration.ofHours(1))} returns at once, and
 * {@code currentTime()} then reads 3600.
 *
 * <p>Give it to a run through {@code Weft.runner().clock(clock)}, or take it as a parameter
 * of a {@link WeftTest} method. Its methods must be called on the run's thread (or before
 * the run starts).
 */
public final class MockClock implements Clock {
    private double virtualBase;
    private long realBase = System.nanoTime();
    private double rate;
    private double autojumpThreshold = Double.POSITIVE_INFINITY;

    /** Creates a clock at time 0, rate 0, autojump off. */
    public MockClock() {
    }

    @Override
    public double currentTime() {
        if (rate == 0) {
            return virtualBase;
        }
        return virtualBase + rate * ((System.nanoTime() - realBase) / 1e9);
    }

    /**
     * Moves time forward.
     *
     * @param seconds how far, at least 0
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public void jump(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("time can only jump forward: seconds must be >= 0, was " + seconds);
        }
        virtualBase += seconds;
    }

    /** Returns how many virtual seconds pass per real second. @return the rate */
    public double rate() {
        return rate;
    }

    /**
     * Sets how many virtual seconds pass per real second; 0 stops time.
     *
     * @param rate the rate, at least 0
     * @return this clock
     * @throws IllegalArgumentException if {@code rate} is negative or NaN
     */
    public MockClock rate(double rate) {
        if (!(rate >= 0)) {
            throw new IllegalArgumentException("rate must be >= 0, was " + rate);
        }
        rebase();
        this.rate = rate;
        return this;
    }

    /** Returns the autojump threshold, in real seconds. @return the threshold */
    @Override
    public double autojumpThreshold() {
        return autojumpThreshold;
    }

    /**
     * Sets how long the run must be idle, in real seconds, before time jumps to the next
     * deadline; infinity turns autojump off, 0 jumps as soon as every task is blocked.
     *
     * @param seconds the threshold, at least 0
     * @return this clock
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public MockClock autojumpThreshold(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("autojumpThreshold must be >= 0, was " + seconds);
        }
        autojumpThreshold = seconds;
        return this;
    }

    @Override
    public double deadlineToSleepTime(double deadline) {
        double wait = deadline - currentTime();
        if (wait <= 0) {
            return 0;
        }
        return rate == 0 ? Double.POSITIVE_INFINITY : wait / rate;
    }

    @Override
    public void autojump(double nextDeadline) {
        double now = currentTime();
        if (nextDeadline != Double.POSITIVE_INFINITY && nextDeadline > now) {
            jump(nextDeadline - now);
        }
    }

    private void rebase() {
        virtualBase = currentTime();
        realBase = System.nanoTime();
    }

    @Override
    public String toString() {
        return "MockClock[time=" + currentTime() + ", rate=" + rate + ", autojumpThreshold=" + autojumpThreshold + "]";
    }
}
