package dev.weft.sync;

import dev.weft.lowlevel.Task;

/**
 * A snapshot of a {@link Lock} or {@link StrictFIFOLock}, for debugging and tests.
 *
 * @param locked whether the lock is held (a broken lock stays held by its exited owner)
 * @param owner the task holding it, or null
 * @param tasksWaiting how many tasks are blocked in {@code acquire} (including
 *     {@link Condition} waiters that were signalled and now wait for the lock)
 */
public record LockStatistics(boolean locked, Task owner, int tasksWaiting) {
}
