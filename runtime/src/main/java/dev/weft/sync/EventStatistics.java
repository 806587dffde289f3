package dev.weft.sync;

/**
 * A snapshot of an {@link Event}, for debugging and tests.
 *
 * @param tasksWaiting how many tasks are blocked in {@link Event#await()}
 */
public record EventStatistics(int tasksWaiting) {
}
