package dev.weft.channel;

import dev.weft.Cancelled;
import dev.weft.lowlevel.Abort;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Task;
import java.util.function.Consumer;

/**
 * The tasks blocked on one side of a memory channel, in arrival order: an intrusive
 * doubly-linked list of one {@link Waiter} per blocked call, which is also that call's abort
 * callback, so a cancelled task leaves the queue in O(1).
 *
 * @param <T> the channel's element type
 * @param <E> the kind of end the tasks wait through (send or receive)
 */
final class WaitQueue<T, E> {

    /**
     * First and last waiter. Written by {@link #add}, {@link #poll}, {@link #removeIf} and a
     * waiter's abort. Invariant: exactly {@link #size} linked nodes, each with
     * {@code queued == true}.
     */
    private Waiter<T, E> head;
    private Waiter<T, E> tail;
    private int size;

    /** Appends a waiter for {@code task}, blocked through {@code end}, carrying {@code value} (a sender's) or null. */
    Waiter<T, E> add(Task task, E end, T value) {
        Waiter<T, E> w = new Waiter<>(this, task, end, value);
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
        return w;
    }

    /** Removes and returns the longest waiter, or null. */
    Waiter<T, E> poll() {
        Waiter<T, E> w = head;
        if (w != null) {
            unlink(w);
        }
        return w;
    }

    /** Removes every waiter blocked through {@code end} (every waiter, if null), handing each to {@code then} in order. */
    void removeIf(E end, Consumer<Waiter<T, E>> then) {
        Waiter<T, E> w = head;
        while (w != null) {
            Waiter<T, E> next = w.next;
            if (end == null || w.end == end) {
                unlink(w);
                then.accept(w);
            }
            w = next;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return head == null;
    }

    private void unlink(Waiter<T, E> w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        size--;
    }

    /**
     * One blocked send or receive. Its abort (the task was cancelled while blocked) takes it
     * out of the queue: the value it carried was never handed over, and none was handed to it.
     */
    static final class Waiter<T, E> implements Abort {
        final WaitQueue<T, E> queue;
        final Task task;
        final E end;
        /** The value a blocked sender offers; null for a receiver. */
        final T value;
        Waiter<T, E> prev;
        Waiter<T, E> next;

        Waiter(WaitQueue<T, E> queue, Task task, E end, T value) {
            this.queue = queue;
            this.task = task;
            this.end = end;
            this.value = value;
        }

        @Override
        public AbortResult abort(Cancelled cancelled) {
            queue.unlink(this);
            return AbortResult.SUCCEEDED;
        }
    }
}
