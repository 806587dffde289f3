package dev.weft.stream;

import dev.weft.BusyResourceException;
import dev.weft.AwaitCancellation;
import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.ClosedResourceException;
import dev.weft.ThreadOptions;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SendStream} over a blocking {@link OutputStream} (a process's stdin, a legacy
 * client's stream): each write, followed by a flush, runs on a worker thread of the run
 * through {@link Weft#runInThread}, so only the sending task waits.
 *
 * <p>A send copies its bytes first, so the caller may reuse its array at once even if the
 * send is cancelled. The stream has at most one write in flight, so it does not use the run's
 * thread limiter.
 *
 * <h2>Cancellation</h2>
 * A blocking write cannot be interrupted, so a cancelled send leaves its write running and
 * returns at once; the next send (or {@link #waitSendAllMightNotBlock()}) first waits for it,
 * so bytes are never reordered. If that write failed, the stream is broken from then on. A
 * failed write (the reader has gone: a broken pipe) breaks the stream:
 * {@link BrokenResourceException} for every later send.
 *
 * <p>The stream's methods must be called from tasks of the run that made it.
 */
public final class BlockingSendStream implements SendStream {
    private static final ThreadOptions WRITES = ThreadOptions.abandonOnCancel().withoutLimiter();

    private final OutputStream out;
    private final String name;

    // All fields below: written and read by tasks of the run, on its thread.

    /** A write that a cancelled send left running; the next send waits for it first. */
    private CompletableFuture<Void> pending;
    /** Why the stream is broken, or null. */
    private IOException broken;
    private boolean closed;
    /** The scope of the send now blocked, cancelled by {@link #close()}; null when none is. */
    private CancelScope blocked;

    /**
     * Wraps {@code out}.
     *
     * @param out the blocking output; this stream owns it from now on, and closes it
     * @param name a name for messages, such as {@code "stdin of process 4242"}
     */
    public BlockingSendStream(OutputStream out, String name) {
        this.out = Objects.requireNonNull(out, "out");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Async
    @Override
    public void sendAll(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        byte[] copy = Arrays.copyOfRange(data, off, off + len);
        guarded("sendAll", copy);
    }

    @Async
    @Override
    public void waitSendAllMightNotBlock() {
        guarded("waitSendAllMightNotBlock", null);
    }

    /** Sends {@code bytes} (null: only waits for the pending write), with the busy, closed and broken checks. */
    @Async
    private void guarded(String what, byte[] bytes) {
        check(what);
        if (blocked != null) {
            throw new BusyResourceException(name + ": another task is already sending to this stream");
        }
        if (pending == null && (bytes == null || bytes.length == 0)) {
            Weft.checkpoint();
            check(what);
            return;
        }
        CancelScope scope = new CancelScope();
        blocked = scope;
        try {
            scope.run(() -> write(bytes));
        } finally {
            blocked = null;
        }
        if (closed || scope.cancelledCaught()) {
            throw new ClosedResourceException(name + ": " + what + " on a stream closed meanwhile");
        }
        check(what);
    }

    @Async
    private void write(byte[] bytes) {
        try {
            if (pending != null) {
                Weft.await(pending, AwaitCancellation.STOP_WAITING);
                pending = null;
            }
            if (bytes == null || bytes.length == 0) {
                Weft.checkpoint();
                return;
            }
            CompletableFuture<Void> started = new CompletableFuture<>();
            pending = started;
            Weft.runInThread(() -> {
                try {
                    out.write(bytes);
                    out.flush();
                    started.complete(null);
                } catch (IOException | RuntimeException | Error e) {
                    started.completeExceptionally(e);
                    throw e;
                }
                return null;
            }, WRITES);
            pending = null;
        } catch (Cancelled c) {
            throw c;
        } catch (IOException e) {
            pending = null;
            if (!closed) {
                broken = e;
            }
        } catch (RuntimeException e) {
            pending = null;
            throw e;
        } catch (Exception e) {
            pending = null;
            throw new IllegalStateException(name + ": unexpected failure " + e, e);
        }
    }

    private void check(String what) {
        if (closed) {
            throw new ClosedResourceException(name + ": " + what + " on a closed stream");
        }
        if (broken != null) {
            throw new BrokenResourceException(name + ": the other side has gone (" + broken.getMessage() + ")", broken);
        }
    }

    /**
     * Closes the stream and the output stream under it (after any pending write), so the
     * reader sees the end of its input; see {@link AsyncResource#close()}. A task blocked in
     * a send gets {@link ClosedResourceException}. A checkpoint; if cancelled, the close goes
     * on in the background.
     */
    @Async
    @Override
    public void close() {
        if (closed) {
            Weft.checkpoint();
            return;
        }
        closed = true;
        if (blocked != null) {
            blocked.cancel(name + " was closed");
        }
        try {
            Weft.runInThread(() -> {
                out.close();
                return null;
            }, WRITES);
        } catch (IOException e) {
            // A pipe whose reader has gone cannot take the final flush; the stream is closed anyway.
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + ": unexpected failure " + e, e);
        }
    }

    @Override
    public String toString() {
        return "BlockingSendStream[" + name + (closed ? ", closed]" : broken != null ? ", broken]" : "]");
    }
}
