package dev.weft.stream;

import dev.weft.annotation.Async;
import java.io.IOException;

/**
 * A source of connections, each a new resource (usually a {@link Stream}): Trio's
 * {@code trio.abc.Listener}.
 * {@snippet :
 * @Async
 * static void serve(Listener<? extends Stream> listener, Nursery n) throws IOException {
 *     while (true) {
 *         Stream s = listener.accept();
 *         n.startSoon(() -> handle(s));
 *     }
 * }
 * }
 *
 * <h2>Rules</h2>
 * One task at a time may accept; a second gets {@link dev.weft.BusyResourceException}. After
 * {@link #close()}, accepts throw {@link dev.weft.ClosedResourceException}, and so does an
 * accept that was blocked when another task closed the listener. Closing a listener does not
 * close the connections it has returned.
 *
 * @param <S> what each connection is
 */
public interface Listener<S extends AsyncResource> extends AsyncResource {

    /**
     * Waits for the next connection and returns it. A checkpoint, also when a connection is
     * waiting already; a cancelled accept has accepted nothing.
     *
     * @return the new connection; the caller owns it and must close it
     * @throws dev.weft.ClosedResourceException if the listener is closed (also by another task
     *     while this one waited)
     * @throws dev.weft.BusyResourceException if another task is accepting
     * @throws IOException if accepting fails (too many open files, for example); the listener
     *     stays usable
     * @throws dev.weft.Cancelled if the task is cancelled
     */
    @Async
    S accept() throws IOException;

    /**
     * Returns a connection that is waiting already, without waiting for one; null if none is.
     * Not a checkpoint, unless it has to undo a connection it could not hand out. An accept
     * loop calls it after {@link #accept()} to take a burst of waiting connections in one
     * scheduling pass: with one checkpoint per connection, a server whose other tasks are
     * busy would accept one connection per pass of the whole run.
     *
     * <p>The default returns null, as a listener that cannot tell without waiting must.
     *
     * @return a waiting connection, which the caller owns, or null
     * @throws dev.weft.ClosedResourceException if the listener is closed
     * @throws dev.weft.BusyResourceException if another task is accepting
     * @throws IOException if accepting fails (too many open files, for example); the listener
     *     stays usable
     */
    @Async
    default S tryAccept() throws IOException {
        return null;
    }
}
