package dev.weft.internal;

/**
 * Something with a deadline in the run's {@link DeadlineHeap}: a sleeping task or an entered
 * cancel scope. The heap keeps each entry's index in the entry itself, so removing or moving
 * one costs O(log n) and allocates nothing.
 */
interface Timed {
    /** The time at which {@link #fire()} is due. Written by the heap's owner before adding. */
    double deadline();

    /** The entry's index in the heap, or -1 when it is not in one. */
    int heapIndex();

    /** Set by the heap only. @param index the new index, or -1 */
    void heapIndex(int index);

    /** Called on the scheduler thread when the deadline has passed; the entry is already removed. */
    void fire();
}
