package dev.weft.file;

import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.AsyncResource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * An open file whose reads and writes are async: a {@link FileChannel} whose operations run
 * on worker threads through {@link Weft#runInThread}. Trio's {@code open_file}.
 * {@snippet :
 * AsyncFile log = AsyncFile.open(Path.of("app.log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
 * try {
 *     log.write("started\n".getBytes(UTF_8));
 * } finally {
 *     log.close();
 * }
 * }
 * Or let {@link #with} close it.
 *
 * <p>Every method that touches the file is {@code @Async} and a checkpoint; a cancellation
 * waits for the operation in flight (the thread is never interrupted, which would close the
 * channel), so a cancelled read or write either did not start or finished. Failures are the
 * channel's {@link IOException}s, bare. After {@link #close()}, every operation throws
 * {@link ClosedResourceException}.
 *
 * <p>The position is the channel's: {@link #read} and {@link #write} move it, unless the file
 * was opened with {@link StandardOpenOption#APPEND}, which writes at the end. One task at a
 * time should use a file; operations of two tasks may interleave at their checkpoints.
 */
public final class AsyncFile implements AsyncResource {
    private final FileChannel channel;
    private final Path path;
    /** Set by {@link #close()}. Written and read by tasks of the run. */
    private boolean closed;

    private AsyncFile(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /**
     * Opens a file, as {@link FileChannel#open(Path, OpenOption...)} (without options: for
     * reading). A checkpoint.
     *
     * @param path the file
     * @param options how to open it
     * @return the open file; close it
     * @throws IOException as {@code FileChannel.open}, e.g. {@code NoSuchFileException}
     */
    @Async
    public static AsyncFile open(Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        OpenOption[] opts = options.clone();
        FileChannel channel = AsyncPath.io(() -> FileChannel.open(path, opts));
        return new AsyncFile(channel, path);
    }

    /**
     * Opens a file; see {@link #open(Path, OpenOption...)}.
     *
     * @param path the file
     * @param options how to open it
     * @return the open file; close it
     * @throws IOException as {@code FileChannel.open}
     */
    @Async
    public static AsyncFile open(AsyncPath path, OpenOption... options) throws IOException {
        return open(path.toPath(), options);
    }

    /**
     * Opens a file, runs {@code body} with it, and closes it however the body ends. A
     * checkpoint.
     *
     * @param path the file
     * @param body what to do with it
     * @param options how to open it
     * @param <T> the body's value type
     * @return the body's value
     * @throws IOException if opening, the body or closing fails
     */
    @Async
    public static <T> T with(Path path, FileBody<T> body, OpenOption... options) throws IOException {
        AsyncFile f = open(path, options);
        try {
            return body.apply(f);
        } finally {
            f.close();
        }
    }

    /** Returns the file's path. Not a checkpoint. @return the path */
    public Path path() {
        return path;
    }

    // ---------------------------------------------------------------- reading and writing

    /**
     * Reads up to {@code len} bytes at the current position into {@code buf[off, off + len)},
     * as {@link FileChannel#read(ByteBuffer)}. A checkpoint.
     *
     * @param buf where to put them
     * @param off the first index to fill
     * @param len the most bytes to read
     * @return the number read, or -1 at the end of the file
     * @throws IOException as {@code FileChannel.read}
     * @throws ClosedResourceException if the file is closed
     */
    @Async
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        check("read");
        byte[] into = new byte[len];
        int n = AsyncPath.io(() -> channel.read(ByteBuffer.wrap(into)));
        if (n > 0) {
            System.arraycopy(into, 0, buf, off, n);
        }
        return n;
    }

    /**
     * Reads into the whole of {@code buf}; see {@link #read(byte[], int, int)}. A checkpoint.
     *
     * @param buf where to put the bytes
     * @return the number read, or -1 at the end of the file
     * @throws IOException as {@code FileChannel.read}
     */
    @Async
    public int read(byte[] buf) throws IOException {
        return read(buf, 0, buf.length);
    }

    /**
     * Reads from the current position to the end of the file. A checkpoint.
     *
     * @return the bytes
     * @throws IOException as {@code FileChannel.read}
     */
    @Async
    public byte[] readAll() throws IOException {
        check("readAll");
        return AsyncPath.io(() -> {
            long left = Math.max(0, channel.size() - channel.position());
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(left, Integer.MAX_VALUE - 8));
            while (b.hasRemaining() && channel.read(b) > 0) {
                // keep reading until full or at the end
            }
            return Arrays.copyOf(b.array(), b.position());
        });
    }

    /**
     * Writes all of {@code data[off, off + len)} at the current position (or the end, for a
     * file opened to append). A checkpoint.
     *
     * @param data the bytes (copied first, so the array may be reused at once)
     * @param off the first index to write
     * @param len how many
     * @throws IOException as {@code FileChannel.write}
     * @throws ClosedResourceException if the file is closed
     */
    @Async
    public void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        check("write");
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOfRange(data, off, off + len));
        AsyncPath.io(() -> {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            return null;
        });
    }

    /**
     * Writes all of {@code data}; see {@link #write(byte[], int, int)}. A checkpoint.
     *
     * @param data the bytes
     * @throws IOException as {@code FileChannel.write}
     */
    @Async
    public void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    // ---------------------------------------------------------------- position and size

    /**
     * Returns the current position. A checkpoint.
     *
     * @return the byte offset
     * @throws IOException as {@code FileChannel.position()}
     */
    @Async
    public long position() throws IOException {
        check("position");
        return AsyncPath.io(channel::position);
    }

    /**
     * Moves the current position. A checkpoint.
     *
     * @param position the new byte offset, at least 0 (past the end is allowed)
     * @return this file
     * @throws IOException as {@code FileChannel.position(long)}
     * @throws IllegalArgumentException if {@code position} is negative
     */
    @Async
    public AsyncFile position(long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        check("position");
        AsyncPath.io(() -> channel.position(position));
        return this;
    }

    /**
     * Returns the file's size. A checkpoint.
     *
     * @return bytes
     * @throws IOException as {@code FileChannel.size()}
     */
    @Async
    public long size() throws IOException {
        check("size");
        return AsyncPath.io(channel::size);
    }

    /**
     * Cuts the file to {@code size} bytes, as {@link FileChannel#truncate}. A checkpoint.
     *
     * @param size the new size
     * @return this file
     * @throws IOException as {@code FileChannel.truncate}
     */
    @Async
    public AsyncFile truncate(long size) throws IOException {
        check("truncate");
        AsyncPath.io(() -> channel.truncate(size));
        return this;
    }

    /**
     * Forces the file's content (and, with {@code metadata}, its metadata) to the device, as
     * {@link FileChannel#force}. A checkpoint.
     *
     * @param metadata whether to force metadata too
     * @throws IOException as {@code FileChannel.force}
     */
    @Async
    public void force(boolean metadata) throws IOException {
        check("force");
        AsyncPath.io(() -> {
            channel.force(metadata);
            return null;
        });
    }

    /**
     * Closes the file. Shielded from cancellation, as Trio's {@code aclose} of a file: it
     * always finishes, and a cancellation is raised at the next checkpoint. Idempotent. A
     * checkpoint.
     */
    @Async
    @Override
    public void close() {
        if (closed) {
            Weft.checkpoint();
            return;
        }
        closed = true;
        new CancelScope().setShield(true).run(() -> {
            try {
                AsyncPath.io(() -> {
                    channel.close();
                    return null;
                });
            } catch (IOException e) {
                // FileChannel.close reports no failure that leaves the file open.
            }
        });
    }

    private void check(String what) {
        if (closed) {
            throw new ClosedResourceException("AsyncFile " + path + ": " + what + " on a closed file");
        }
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + (closed ? ", closed]" : "]");
    }
}
