package dev.weft.internal;

import dev.weft.Nursery;
import dev.weft.lowlevel.Task;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The parts of a task that most tasks never use: where it was spawned, the nursery it moves
 * into during {@code Nursery.start}, the nurseries it has open, its exit hooks. A
 * {@link TaskCore} makes its extras on first use, so a task that only runs and sleeps holds
 * none of these fields. Written and read by the task's {@link TaskCore} on the run's thread.
 */
final class TaskExtras {
    /** Where the task was spawned, or null when the run does not record it. */
    Throwable spawnSite;
    /** The nursery a task started with {@code Nursery.start} will move into, until it calls {@code started}. */
    Nursery eventualParent;
    /** Nurseries opened by the task and not yet closed, innermost last. Null until the first. */
    ArrayList<Nursery> childNurseries;
    /**
     * What to call when the task exits, oldest first; null until the first hook is added.
     * Invariant: entries {@code [0, exitHookCount)} are the live hooks, the rest are null; no
     * hook is added once the task is DONE.
     */
    Consumer<? super Task>[] exitHooks;
    int exitHookCount;
}
