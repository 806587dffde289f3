package dev.weft.testing;

import dev.weft.ScopeBody;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import org.opentest4j.AssertionFailedError;

/**
 * Helpers for tests of async code: waiting until the run is idle, and asserting that a
 * block of code has (or has not) checkpoints. Trio's {@code trio.testing}.
 */
public final class Testing {
    private Testing() {
    }

    /**
     * Waits until every other task is blocked (the run has nothing to do but wait for time
     * or other threads), then returns. Wakes before a {@link MockClock} autojump. A
     * checkpoint.
     *
     * @throws dev.weft.Cancelled if the task is cancelled meanwhile
     * @throws IllegalStateException if called outside a run
     */
    @Async
    public static void waitAllTasksBlocked() {
        Lowlevel.waitAllTasksBlocked(0);
    }

    /**
     * Waits until every other task has been blocked for {@code cushion} real seconds; see
     * {@link #waitAllTasksBlocked()}.
     *
     * @param cushion real seconds, at least 0
     */
    @Async
    public static void waitAllTasksBlocked(double cushion) {
        Lowlevel.waitAllTasksBlocked(cushion);
    }

    /**
     * Runs {@code body} and fails unless it passed at least one cancel point and one
     * schedule point of the current task.
     *
     * @param body the code that should checkpoint
     * @param <X> what it may throw
     * @throws X what the body threw
     * @throws AssertionFailedError if the body did not checkpoint
     */
    @Async
    public static <X extends Exception> void assertCheckpoints(ScopeBody<X> body) throws X {
        Task task = Lowlevel.currentTask();
        int cancel = task.cancelPoints();
        int schedule = task.schedulePoints();
        body.run();
        if (task.cancelPoints() == cancel || task.schedulePoints() == schedule) {
            throw new AssertionFailedError("expected a checkpoint, but the block passed " + (task.cancelPoints() - cancel)
                    + " cancel points and " + (task.schedulePoints() - schedule) + " schedule points");
        }
    }

    /**
     * Runs {@code body} and fails if it passed any cancel point or schedule point of the
     * current task.
     *
     * @param body the code that must not checkpoint
     * @param <X> what it may throw
     * @throws X what the body threw
     * @throws AssertionFailedError if the body checkpointed
     */
    @Async
    public static <X extends Exception> void assertNoCheckpoints(ScopeBody<X> body) throws X {
        Task task = Lowlevel.currentTask();
        int cancel = task.cancelPoints();
        int schedule = task.schedulePoints();
        body.run();
        if (task.cancelPoints() != cancel || task.schedulePoints() != schedule) {
            throw new AssertionFailedError("expected no checkpoint, but the block passed "
                    + (task.cancelPoints() - cancel) + " cancel points and " + (task.schedulePoints() - schedule)
                    + " schedule points");
        }
    }

    /**
     * Runs {@code body}, which may suspend, and returns what it threw, failing unless it threw
     * an instance of {@code type}: JUnit's {@code assertThrows} for {@code @Async} code (a
     * JUnit {@code Executable} is not async, so the weaver refuses async calls in one).
     *
     * @param type the expected kind of failure
     * @param body the code to run
     * @param <T> its type
     * @return the failure
     * @throws AssertionFailedError if {@code body} returned, or threw something else
     */
    @Async
    public static <T extends Throwable> T assertThrows(Class<T> type, ScopeBody<?> body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            AssertionFailedError e = new AssertionFailedError("expected " + type.getName() + " to be thrown, but "
                    + t.getClass().getName() + " was: " + t.getMessage(), t);
            throw e;
        }
        throw new AssertionFailedError("expected " + type.getName() + " to be thrown, but nothing was");
    }
}
