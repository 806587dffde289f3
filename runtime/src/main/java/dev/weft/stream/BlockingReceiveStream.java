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
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ReceiveStream} over a blocking {@link InputStream} (a process's pipe,
 * {@code System.in}, a legacy client's stream): each read runs on a worker thread of the run
 * through {@link Weft#runInThread}, so only the receiving task waits.
 *
 * <p>Reads fill an internal buffer of up to 64 KiB and hand out what the caller asks for, so a
 * small caller buffer does not mean one thread round trip per few bytes. The stream has at most
 * one read in flight, so it does not use the run's thread limiter; a blocked stream holds one
 * worker thread.
 *
 * <h2>Cancellation</h2>
 * A blocking read cannot be interrupted, so a cancelled receive leaves its read running and
 * returns at once; the read's bytes are kept, and the next receive returns them. Closing the
 * stream closes the input stream (on a worker thread); a read blocked in it ends when the
 * source delivers data, ends, or fails, which for a process's pipe happens when the process
 * exits.
 *
 * <p>The stream's methods must be called from tasks of the run that made it.
 */
public final class BlockingReceiveStream implements ReceiveStream {
    private static final int MIN_READ = 8192;
    private static final int MAX_READ = 64 * 1024;
    private static final ThreadOptions READS = ThreadOptions.abandonOnCancel().withoutLimiter();

    /** What one read returned: {@code length} bytes of {@code bytes}, or -1 at the end. */
    private record Chunk(byte[] bytes, int length) {
    }

    private final InputStream in;
    private final String name;

    // All fields below: written and read by tasks of the run, on its thread.

    /** A read that a cancelled receive left running; the next receive takes its outcome. */
    private CompletableFuture<Chunk> pending;
    /** Bytes read but not yet handed out: {@code buffer[bufferOff, bufferOff + bufferLen)}. */
    private byte[] buffer;
    private int bufferOff;
    private int bufferLen;
    private boolean eof;
    private boolean closed;
    /** The scope of the receive now blocked, cancelled by {@link #close()}; null when none is. */
    private CancelScope blocked;

    /**
     * Wraps {@code in}.
     *
     * @param in the blocking input; this stream owns it from now on, and closes it
     * @param name a name for messages, such as {@code "stdout of process 4242"}
     */
    public BlockingReceiveStream(InputStream in, String name) {
        this.in = Objects.requireNonNull(in, "in");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Async
    @Override
    public int receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (closed) {
            throw closedError("receive");
        }
        if (blocked != null) {
            throw new BusyResourceException(name + ": another task is already receiving from this stream");
        }
        if (bufferLen > 0 || eof || len == 0) {
            Weft.checkpoint();
            if (closed) {
                throw closedError("receive");
            }
            return take(buf, off, len);
        }
        CancelScope scope = new CancelScope();
        blocked = scope;
        Chunk chunk;
        try {
            chunk = scope.call(() -> nextChunk(len));
        } finally {
            blocked = null;
        }
        if (closed || scope.cancelledCaught()) {
            // Only close() cancels this scope.
            throw closedError("receive");
        }
        if (chunk.length < 0) {
            eof = true;
        } else {
            buffer = chunk.bytes;
            bufferOff = 0;
            bufferLen = chunk.length;
        }
        return take(buf, off, len);
    }

    /** Takes the outcome of the pending read, or starts one and waits for it. */
    @Async
    private Chunk nextChunk(int wanted) {
        CompletableFuture<Chunk> read = pending;
        try {
            if (read != null) {
                Chunk c = Weft.await(read, AwaitCancellation.STOP_WAITING);
                pending = null;
                return c;
            }
            CompletableFuture<Chunk> started = new CompletableFuture<>();
            pending = started;
            int size = Math.min(Math.max(wanted, MIN_READ), MAX_READ);
            Chunk c = Weft.runInThread(() -> read(started, size), READS);
            pending = null;
            return c;
        } catch (Cancelled c) {
            throw c;
        } catch (IOException e) {
            pending = null;
            if (closed) {
                throw closedError("receive");
            }
            throw new BrokenResourceException(name + ": reading failed: " + e, e);
        } catch (RuntimeException e) {
            pending = null;
            throw e;
        } catch (Exception e) {
            pending = null;
            throw new IllegalStateException(name + ": unexpected failure " + e, e);
        }
    }

    /** On a worker thread: one blocking read, reported both by value and through {@code into}. */
    private Chunk read(CompletableFuture<Chunk> into, int size) throws IOException {
        byte[] bytes = new byte[size];
        try {
            int n = in.read(bytes, 0, size);
            Chunk c = new Chunk(bytes, n);
            into.complete(c);
            return c;
        } catch (IOException | RuntimeException | Error e) {
            into.completeExceptionally(e);
            throw e;
        }
    }

    private int take(byte[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (bufferLen == 0) {
            return -1;
        }
        int n = Math.min(len, bufferLen);
        System.arraycopy(buffer, bufferOff, buf, off, n);
        bufferOff += n;
        bufferLen -= n;
        if (bufferLen == 0) {
            buffer = null;
            bufferOff = 0;
        }
        return n;
    }

    /**
     * Closes the stream and the input stream under it; see {@link AsyncResource#close()}. A
     * task blocked in {@link #receive} gets {@link ClosedResourceException}. A checkpoint.
     */
    @Async
    @Override
    public void close() {
        if (closed) {
            Weft.checkpoint();
            return;
        }
        closed = true;
        buffer = null;
        bufferLen = 0;
        if (blocked != null) {
            blocked.cancel(name + " was closed");
        }
        try {
            Weft.runInThread(() -> {
                in.close();
                return null;
            }, READS);
        } catch (IOException e) {
            // Closing a source we are done with: nothing is lost, and the caller cannot act on it.
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + ": unexpected failure " + e, e);
        }
    }

    private ClosedResourceException closedError(String what) {
        return new ClosedResourceException(name + ": " + what + " on a closed stream");
    }

    @Override
    public String toString() {
        return "BlockingReceiveStream[" + name + (closed ? ", closed]" : eof ? ", at end]" : "]");
    }
}
