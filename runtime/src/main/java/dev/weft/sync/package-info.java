/**
 * Synchronization between tasks of one run: {@link dev.weft.sync.Event},
 * {@link dev.weft.sync.Lock}, {@link dev.weft.sync.StrictFIFOLock},
 * {@link dev.weft.sync.Semaphore}, {@link dev.weft.sync.CapacityLimiter},
 * {@link dev.weft.sync.Condition}, and the queue they are built on,
 * {@link dev.weft.sync.ParkingLot}. Trio's {@code trio._sync} and {@code ParkingLot}.
 *
 * <h2>Rules every primitive here follows</h2>
 * <ul>
 *   <li><b>Blocking methods are checkpoints</b>, even when they need not block:
 *       {@code acquire()} on a free lock checks for cancellation, takes the lock, and then
 *       lets other tasks run (Trio's {@code checkpoint_if_cancelled} then
 *       {@code cancel_shielded_checkpoint}). Other methods never are.
 *   <li><b>Non-blocking variants:</b> each blocking {@code acquire()} has a
 *       {@code tryAcquire()} that never blocks and is not a checkpoint. It returns
 *       {@code false} when the call would have had to wait, and throws only for misuse or a
 *       broken resource. The same convention holds for the channels of
 *       {@code dev.weft.channel} ({@code trySend} returns {@code false}, {@code tryReceive}
 *       returns {@code null}), so Weft has no {@code WouldBlockException}: waiting is an
 *       expected answer, not an error, and a loop of non-blocking attempts should not pay
 *       for an exception per miss (Java's {@code Lock.tryLock} and
 *       {@code BlockingQueue.offer}/{@code poll} answer the same way).
 *   <li><b>Fair:</b> waiters are served in arrival order, and a release hands the
 *       resource straight to the first waiter, so the releasing task cannot take it back
 *       ahead of them.
 *   <li><b>Atomic with respect to cancellation:</b> a blocking call either completes, or
 *       throws {@link dev.weft.Cancelled} having changed nothing. A waiter the resource has
 *       been handed to returns normally, and sees the cancellation at its next checkpoint.
 *   <li><b>Owned where it matters:</b> a {@code Lock} knows its owner; releasing a lock one
 *       does not hold is an {@link java.lang.IllegalStateException} naming the owner, and a
 *       task that exits holding a lock breaks it ({@link dev.weft.BrokenResourceException}
 *       for every waiter, present and future).
 *   <li><b>Observable:</b> each primitive has {@code statistics()}, returning a record.
 * </ul>
 * There is no try-with-resources form: {@code acquire()} then {@code try { ... } finally {
 * release(); }} says the same thing, and allocates nothing.
 *
 * <h2>Layering</h2>
 * This package uses only the public {@code dev.weft} API and {@link dev.weft.lowlevel}
 * (park, reschedule, task exit hooks), never {@code dev.weft.internal}; users can build
 * primitives of their own the same way. {@code LayeringTest} enforces this.
 *
 * <p>Everything here must be used on the run's thread: these are not thread-safe objects,
 * and they need no locking, since only one task runs at a time.
 */
package dev.weft.sync;
