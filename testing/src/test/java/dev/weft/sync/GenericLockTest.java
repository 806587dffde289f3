package dev.weft.sync;

import dev.weft.annotation.Async;
import dev.weft.testing.WeftTest;

/**
 * Every lock-like primitive of {@code dev.weft.sync} through the same three checks
 * ({@link LockLikeChecks}): exclusion across checkpoints, exact round-robin fairness for
 * three looping tasks, and {@code tryAcquire} holding off {@code acquire}. Ported from
 * python-trio/trio {@code src/trio/_tests/test_sync.py} ({@code generic_lock_test}).
 */
class GenericLockTest {

    // ---------------------------------------------------------------- exclusion

    @WeftTest
    @Async
    void acquire_lockWithCheckpointsInside_excludesOtherTasks() {
        LockLikeChecks.exclusion(LockLikeChecks.of(new Lock()));
    }

    @WeftTest
    @Async
    void acquire_strictFifoLockWithCheckpointsInside_excludesOtherTasks() {
        LockLikeChecks.exclusion(LockLikeChecks.of(new StrictFIFOLock()));
    }

    @WeftTest
    @Async
    void acquire_semaphoreOfOneWithCheckpointsInside_excludesOtherTasks() {
        LockLikeChecks.exclusion(LockLikeChecks.of(new Semaphore(1)));
    }

    @WeftTest
    @Async
    void acquire_capacityLimiterOfOneWithCheckpointsInside_excludesOtherTasks() {
        LockLikeChecks.exclusion(LockLikeChecks.of(new CapacityLimiter(1)));
    }

    @WeftTest
    @Async
    void acquire_conditionWithCheckpointsInside_excludesOtherTasks() {
        LockLikeChecks.exclusion(LockLikeChecks.of(new Condition()));
    }

    // ---------------------------------------------------------------- fairness

    @WeftTest
    @Async
    void acquire_threeTasksLoopingOnLock_takeStrictTurns() {
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new Lock()));
    }

    @WeftTest
    @Async
    void acquire_threeTasksLoopingOnStrictFifoLock_takeStrictTurns() {
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new StrictFIFOLock()));
    }

    @WeftTest
    @Async
    void acquire_threeTasksLoopingOnSemaphoreOfOne_takeStrictTurns() {
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new Semaphore(1)));
    }

    @WeftTest
    @Async
    void acquire_threeTasksLoopingOnCapacityLimiterOfOne_takeStrictTurns() {
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new CapacityLimiter(1)));
    }

    @WeftTest
    @Async
    void acquire_threeTasksLoopingOnCondition_takeStrictTurns() {
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new Condition()));
    }

    @WeftTest(seed = 42)
    @Async
    void acquire_threeTasksLoopingUnderAFixedSeed_takeStrictTurns() {
        // The same check, under one seed, on each kind in turn: a second look with another
        // first-round order than the random one above.
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new Lock()));
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new Semaphore(1)));
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new CapacityLimiter(1)));
        LockLikeChecks.fifoFairness(LockLikeChecks.of(new Condition()));
    }

    // ---------------------------------------------------------------- tryAcquire

    @WeftTest
    @Async
    void tryAcquire_lockHeldByMain_blocksAcquireUntilRelease() {
        LockLikeChecks.tryAcquireBlocksAcquire(LockLikeChecks.of(new Lock()));
    }

    @WeftTest
    @Async
    void tryAcquire_strictFifoLockHeldByMain_blocksAcquireUntilRelease() {
        LockLikeChecks.tryAcquireBlocksAcquire(LockLikeChecks.of(new StrictFIFOLock()));
    }

    @WeftTest
    @Async
    void tryAcquire_semaphoreOfOneTakenByMain_blocksAcquireUntilRelease() {
        LockLikeChecks.tryAcquireBlocksAcquire(LockLikeChecks.of(new Semaphore(1)));
    }

    @WeftTest
    @Async
    void tryAcquire_capacityLimiterOfOneTakenByMain_blocksAcquireUntilRelease() {
        LockLikeChecks.tryAcquireBlocksAcquire(LockLikeChecks.of(new CapacityLimiter(1)));
    }

    @WeftTest
    @Async
    void tryAcquire_conditionHeldByMain_blocksAcquireUntilRelease() {
        LockLikeChecks.tryAcquireBlocksAcquire(LockLikeChecks.of(new Condition()));
    }
}
