package dev.weft.sync;

/**
 * A snapshot of a {@link Condition}, for debugging and tests.
 *
 * @param tasksWaiting how many tasks are blocked in {@link Condition#await()} and have not
 *     been signalled
 * @param lockStatistics the underlying lock's snapshot; signalled waiters that wait to take
 *     the lock back count among its {@code tasksWaiting}
 */
public record ConditionStatistics(int tasksWaiting, LockStatistics lockStatistics) {
}
