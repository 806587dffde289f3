package dev.weft.internal;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Timed} entries ordered by deadline, each entry knowing its own
 * index so that it can be removed or re-keyed in O(log n). Ties are broken arbitrarily: two
 * entries due at the same time fire in the same pass, before any task runs.
 *
 * <p>Used by the scheduler thread only.
 */
final class DeadlineHeap {
    private Timed[] heap = new Timed[16];
    private int size;

    /** Adds {@code t}, which must not be in a heap. */
    void add(Timed t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.heapIndex(size);
        siftUp(size++);
    }

    /** Removes {@code t} if it is in this heap. @return whether it was */
    boolean remove(Timed t) {
        int i = t.heapIndex();
        if (i < 0 || i >= size || heap[i] != t) {
            return false;
        }
        Timed last = heap[--size];
        heap[size] = null;
        t.heapIndex(-1);
        if (i < size) {
            heap[i] = last;
            last.heapIndex(i);
            siftDown(i);
            siftUp(last.heapIndex());
        }
        return true;
    }

    /** Restores the order after {@code t}'s deadline changed; adds it if absent. */
    void update(Timed t) {
        remove(t);
        add(t);
    }

    /** The earliest deadline, or positive infinity when empty. */
    double nextDeadline() {
        return size == 0 ? Double.POSITIVE_INFINITY : heap[0].deadline();
    }

    /** Removes and returns the earliest entry if it is due at {@code now}, else null. */
    Timed pollDue(double now) {
        if (size == 0 || heap[0].deadline() > now) {
            return null;
        }
        Timed t = heap[0];
        remove(t);
        return t;
    }

    int size() {
        return size;
    }

    private void siftUp(int i) {
        Timed t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timed p = heap[parent];
            if (p.deadline() <= t.deadline()) {
                break;
            }
            heap[i] = p;
            p.heapIndex(i);
            i = parent;
        }
        heap[i] = t;
        t.heapIndex(i);
    }

    private void siftDown(int i) {
        Timed t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline() < heap[child].deadline()) {
                child = right;
            }
            if (t.deadline() <= heap[child].deadline()) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex(i);
            i = child;
        }
        heap[i] = t;
        t.heapIndex(i);
    }
}
