package dev.weft.internal;

import dev.weft.ClosedResourceException;
import dev.weft.BusyResourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The run's I/O readiness waits: one {@link Selector}, and for each registered channel the
 * task (at most one per direction) parked until the channel is readable or writable. Made by
 * {@link RunLoop#io()} on the first wait of a run and closed when the run ends.
 *
 * <p>Each registration is one-shot: when the selector reports a direction ready, its waiter
 * is rescheduled and the direction's interest is cleared, so a channel nobody waits on never
 * makes {@code select} return. A cancelled wait clears its interest the same way, in its abort
 * callback ({@code Lowlevel.waitReadable}).
 *
 * <h2>Threads</h2>
 * Everything here runs on the run's thread, except {@link #wakeup()}, which {@link RunLoop#post}
 * calls from any thread ({@link Selector#wakeup()} is thread-safe and sticky: a wakeup before
 * the select makes the select return at once).
 */
public final class IoWaits implements AutoCloseable {

    /** The direction of a wait. */
    public enum Direction { READ, WRITE }

    /** The waiters of one channel: the key's attachment. Written and read on the run's thread. */
    private static final class Waiters {
        /** The task waiting until the channel is readable, or null. */
        TaskCore reader;
        /** The task waiting until the channel is writable (or connected), or null. */
        TaskCore writer;
    }

    private final RunLoop loop;
    private final Selector selector;
    /**
     * How many tasks are parked here. Written and read on the run's thread. Invariant: equals
     * the non-null {@code reader}/{@code writer} fields of all keys' {@link Waiters}.
     */
    private int waiting;

    IoWaits(RunLoop loop) {
        this.loop = loop;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the run's selector", e);
        }
    }

    /** Whether any task waits for I/O. @return true if a select can wake someone */
    boolean hasWaiters() {
        return waiting > 0;
    }

    /**
     * Registers {@code task} as the waiter of {@code direction} on {@code channel}; the caller
     * then parks it.
     *
     * @throws BusyResourceException if another task already waits in that direction
     * @throws ClosedResourceException if the channel is closed
     * @throws IllegalArgumentException if the channel cannot be waited on in that direction
     * @throws java.nio.channels.IllegalBlockingModeException if the channel is in blocking mode
     */
    public void add(SelectableChannel channel, Direction direction, TaskCore task) {
        int ops = interest(channel, direction);
        if (ops == 0) {
            throw new IllegalArgumentException(channel + " cannot be waited on until " + direction.name().toLowerCase()
                    + "able: its valid operations are " + channel.validOps());
        }
        SelectionKey key = channel.keyFor(selector);
        Waiters w;
        try {
            if (key == null || !key.isValid()) {
                if (key != null) {
                    selector.selectNow(); // deregisters the cancelled key, so the channel can register again
                }
                w = new Waiters();
                key = channel.register(selector, 0, w);
            } else {
                w = (Waiters) key.attachment();
            }
        } catch (ClosedChannelException e) {
            throw new ClosedResourceException(channel + " is closed: cannot wait until it is "
                    + direction.name().toLowerCase() + "able");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TaskCore other = direction == Direction.READ ? w.reader : w.writer;
        if (other != null) {
            throw new BusyResourceException("task '" + other.name() + "' already waits until " + channel + " is "
                    + direction.name().toLowerCase() + "able; task '" + task.name() + "' cannot wait too");
        }
        if (direction == Direction.READ) {
            w.reader = task;
        } else {
            w.writer = task;
        }
        waiting++;
        key.interestOps(key.interestOps() | ops);
    }

    /**
     * Takes back the registration of {@code task} (its wait was cancelled). Does nothing if it
     * is not registered.
     */
    public void remove(SelectableChannel channel, Direction direction, TaskCore task) {
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            return;
        }
        Waiters w = (Waiters) key.attachment();
        if (direction == Direction.READ && w.reader == task) {
            w.reader = null;
        } else if (direction == Direction.WRITE && w.writer == task) {
            w.writer = null;
        } else {
            return;
        }
        waiting--;
        clearInterest(key, direction == Direction.READ ? SelectionKey.OP_READ | SelectionKey.OP_ACCEPT
                : SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
    }

    /**
     * Wakes every task waiting on {@code channel} with a {@link ClosedResourceException} whose
     * message is {@code message} (the channel is about to be closed), and cancels the channel's
     * key. Returns how many were woken.
     */
    public int wakeAll(SelectableChannel channel, String message) {
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            return 0;
        }
        Waiters w = (Waiters) key.attachment();
        int n = 0;
        if (w.reader != null) {
            TaskCore t = w.reader;
            w.reader = null;
            waiting--;
            loop.reschedule(t, null, new ClosedResourceException(message));
            n++;
        }
        if (w.writer != null) {
            TaskCore t = w.writer;
            w.writer = null;
            waiting--;
            loop.reschedule(t, null, new ClosedResourceException(message));
            n++;
        }
        key.cancel();
        return n;
    }

    /**
     * Waits up to {@code timeoutNanos} (0: do not block; {@link Long#MAX_VALUE}: no limit) for
     * readiness or a {@link #wakeup()}, and reschedules the tasks whose direction is ready.
     *
     * @return how many tasks were rescheduled
     */
    int select(long timeoutNanos) {
        try {
            if (timeoutNanos <= 0) {
                selector.selectNow();
            } else if (timeoutNanos == Long.MAX_VALUE) {
                selector.select();
            } else {
                selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the run's selector failed", e);
        }
        int woken = 0;
        for (SelectionKey key : selector.selectedKeys()) {
            Waiters w = (Waiters) key.attachment();
            int ready;
            try {
                ready = key.readyOps();
            } catch (CancelledKeyException e) {
                ready = SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            }
            if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && w.reader != null) {
                TaskCore t = w.reader;
                w.reader = null;
                waiting--;
                clearInterest(key, SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
                loop.reschedule(t, null, null);
                woken++;
            }
            if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && w.writer != null) {
                TaskCore t = w.writer;
                w.writer = null;
                waiting--;
                clearInterest(key, SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
                loop.reschedule(t, null, null);
                woken++;
            }
        }
        selector.selectedKeys().clear();
        return woken;
    }

    /** Makes a select in progress (or the next one) return at once. Callable from any thread. */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            System.err.println("[weft] the run's selector failed to close: " + e);
        }
    }

    private static int interest(SelectableChannel channel, Direction direction) {
        int valid = channel.validOps();
        if (direction == Direction.READ) {
            return valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        // A connecting socket reports writability as OP_CONNECT only.
        if (channel instanceof SocketChannel sc && sc.isConnectionPending()) {
            return SelectionKey.OP_CONNECT;
        }
        return valid & SelectionKey.OP_WRITE;
    }

    private static void clearInterest(SelectionKey key, int ops) {
        if (key.isValid()) {
            key.interestOps(key.interestOps() & ~ops);
        }
    }
}
