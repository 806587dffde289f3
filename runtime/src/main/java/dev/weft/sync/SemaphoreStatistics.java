package dev.weft.sync;

/**
 * A snapshot of a {@link Semaphore}, for debugging and tests.
 *
 * @param value the current value
 * @param maxValue the bound, or {@link Integer#MAX_VALUE} if the semaphore has none
 * @param tasksWaiting how many tasks are blocked in {@link Semaphore#acquire()}
 */
public record SemaphoreStatistics(int value, int maxValue, int tasksWaiting) {
}
