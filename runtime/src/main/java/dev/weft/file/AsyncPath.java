package dev.weft.file;

import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A {@link Path} whose file-system operations are async: each runs the matching
 * {@link Files} method on a worker thread through {@link Weft#runInThread(Callable)}, so only
 * the calling task waits. Trio's {@code trio.Path}.
 * {@snippet :
 * AsyncPath config = AsyncPath.of("app.conf");
 * if (config.exists()) {
 *     for (String line : config.lines()) { ... }
 * }
 * AsyncPath.of("out").createDirectories().resolve("report.txt").writeString(report);
 * }
 *
 * <p>Methods that only compute a path ({@link #resolve}, {@link #parent()},
 * {@link #fileName()}, {@link #toPath()}) touch no file and are neither async nor
 * checkpoints. Every method that touches the file system is {@code @Async}, a checkpoint, and
 * bounded by the run's {@linkplain Weft#defaultThreadLimiter() default thread limiter}; a
 * cancellation waits for the operation in flight (as Trio's {@code Path} does), so an
 * operation that was cancelled either did not start or finished, and the
 * {@link dev.weft.Cancelled} comes at the next checkpoint. Failures are the {@link Files}
 * method's {@link IOException}s, bare.
 *
 * <p>Instances are immutable and may be shared between tasks and runs.
 */
public final class AsyncPath implements Comparable<AsyncPath> {
    private final Path path;

    private AsyncPath(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * Wraps a path.
     *
     * @param path the path
     * @return the async view of it
     */
    public static AsyncPath of(Path path) {
        return new AsyncPath(path);
    }

    /**
     * Makes a path of the default file system, as {@link Path#of(String, String...)}.
     *
     * @param first the first part
     * @param more the other parts
     * @return the path
     */
    public static AsyncPath of(String first, String... more) {
        return new AsyncPath(Path.of(first, more));
    }

    // ---------------------------------------------------------------- pure path operations

    /** Returns the wrapped path. Not a checkpoint. @return the path */
    public Path toPath() {
        return path;
    }

    /** Resolves {@code other} against this path. Not a checkpoint. @param other a relative or absolute path @return the result */
    public AsyncPath resolve(String other) {
        return new AsyncPath(path.resolve(other));
    }

    /** Resolves {@code other} against this path. Not a checkpoint. @param other a path @return the result */
    public AsyncPath resolve(Path other) {
        return new AsyncPath(path.resolve(other));
    }

    /** Returns the parent, or null. Not a checkpoint. @return the parent */
    public AsyncPath parent() {
        Path p = path.getParent();
        return p == null ? null : new AsyncPath(p);
    }

    /** Returns the last name element, or null for a root. Not a checkpoint. @return the name */
    public String fileName() {
        Path p = path.getFileName();
        return p == null ? null : p.toString();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads the whole file, as {@link Files#readAllBytes}. A checkpoint.
     *
     * @return the bytes
     * @throws IOException as {@code Files.readAllBytes}
     */
    @Async
    public byte[] readAllBytes() throws IOException {
        return io(() -> Files.readAllBytes(path));
    }

    /**
     * Reads the whole file as UTF-8 text, as {@link Files#readString(Path)}. A checkpoint.
     *
     * @return the text
     * @throws IOException as {@code Files.readString}, also for malformed input
     */
    @Async
    public String readString() throws IOException {
        return readString(StandardCharsets.UTF_8);
    }

    /**
     * Reads the whole file as text, as {@link Files#readString(Path, Charset)}. A checkpoint.
     *
     * @param charset the encoding
     * @return the text
     * @throws IOException as {@code Files.readString}
     */
    @Async
    public String readString(Charset charset) throws IOException {
        return io(() -> Files.readString(path, charset));
    }

    /**
     * Reads the file's lines as UTF-8, as {@link Files#readAllLines(Path)}. A checkpoint.
     *
     * @return the lines, without line terminators
     * @throws IOException as {@code Files.readAllLines}
     */
    @Async
    public List<String> lines() throws IOException {
        return io(() -> Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code bytes} to the file, as {@link Files#write(Path, byte[], OpenOption...)}
     * (by default creating or truncating it). A checkpoint.
     *
     * @param bytes the content (not copied: do not change it until this returns)
     * @param options how to open the file
     * @return this path
     * @throws IOException as {@code Files.write}
     */
    @Async
    public AsyncPath write(byte[] bytes, OpenOption... options) throws IOException {
        io(() -> Files.write(path, bytes, options));
        return this;
    }

    /**
     * Writes {@code text} as UTF-8, as {@link Files#writeString(Path, CharSequence, OpenOption...)}.
     * A checkpoint.
     *
     * @param text the content
     * @param options how to open the file
     * @return this path
     * @throws IOException as {@code Files.writeString}
     */
    @Async
    public AsyncPath writeString(CharSequence text, OpenOption... options) throws IOException {
        String s = text.toString();
        io(() -> Files.writeString(path, s, StandardCharsets.UTF_8, options));
        return this;
    }

    // ---------------------------------------------------------------- directories and files

    /**
     * Lists the directory's entries, as {@link Files#newDirectoryStream(Path)}, in the order
     * the file system gives them. A checkpoint.
     *
     * @return the entries, as paths resolved against this one
     * @throws IOException as {@code Files.newDirectoryStream}, e.g. {@code NotDirectoryException}
     */
    @Async
    public List<AsyncPath> list() throws IOException {
        return io(() -> {
            List<AsyncPath> out = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path p : entries) {
                    out.add(new AsyncPath(p));
                }
            }
            return out;
        });
    }

    /**
     * Says whether the file exists, as {@link Files#exists}. A checkpoint.
     *
     * @param options how to treat symbolic links
     * @return true if it exists
     */
    @Async
    public boolean exists(LinkOption... options) {
        return unchecked(() -> Files.exists(path, options));
    }

    /** Says whether this is a directory, as {@link Files#isDirectory}. A checkpoint. @param options links @return true if so */
    @Async
    public boolean isDirectory(LinkOption... options) {
        return unchecked(() -> Files.isDirectory(path, options));
    }

    /** Says whether this is a regular file, as {@link Files#isRegularFile}. A checkpoint. @param options links @return true if so */
    @Async
    public boolean isRegularFile(LinkOption... options) {
        return unchecked(() -> Files.isRegularFile(path, options));
    }

    /**
     * Returns the file's size, as {@link Files#size}. A checkpoint.
     *
     * @return bytes
     * @throws IOException as {@code Files.size}
     */
    @Async
    public long size() throws IOException {
        return io(() -> Files.size(path));
    }

    /**
     * Creates this directory and its missing parents, as {@link Files#createDirectories}. A
     * checkpoint.
     *
     * @param attributes attributes for the new directories
     * @return this path
     * @throws IOException as {@code Files.createDirectories}
     */
    @Async
    public AsyncPath createDirectories(FileAttribute<?>... attributes) throws IOException {
        io(() -> Files.createDirectories(path, attributes));
        return this;
    }

    /**
     * Deletes the file or empty directory, as {@link Files#delete}. A checkpoint.
     *
     * @throws IOException as {@code Files.delete}, e.g. {@code NoSuchFileException}
     */
    @Async
    public void delete() throws IOException {
        io(() -> {
            Files.delete(path);
            return null;
        });
    }

    /**
     * Deletes the file if it exists, as {@link Files#deleteIfExists}. A checkpoint.
     *
     * @return true if it was deleted
     * @throws IOException as {@code Files.deleteIfExists}
     */
    @Async
    public boolean deleteIfExists() throws IOException {
        return io(() -> Files.deleteIfExists(path));
    }

    /**
     * Copies the file to {@code target}, as {@link Files#copy(Path, Path, CopyOption...)}. A
     * checkpoint.
     *
     * @param target where to
     * @param options how
     * @return the target
     * @throws IOException as {@code Files.copy}
     */
    @Async
    public AsyncPath copy(AsyncPath target, CopyOption... options) throws IOException {
        Path to = target.path;
        io(() -> Files.copy(path, to, options));
        return target;
    }

    /**
     * Moves or renames the file to {@code target}, as {@link Files#move}. A checkpoint.
     *
     * @param target where to
     * @param options how
     * @return the target
     * @throws IOException as {@code Files.move}
     */
    @Async
    public AsyncPath move(AsyncPath target, CopyOption... options) throws IOException {
        Path to = target.path;
        io(() -> Files.move(path, to, options));
        return target;
    }

    // ---------------------------------------------------------------- plumbing

    /** Blocking file-system work that fails only with {@link IOException} or unchecked exceptions. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** Runs {@code call} on a worker thread; its {@code IOException} comes out bare. */
    @Async
    static <T> T io(IoCall<T> call) throws IOException {
        try {
            return Weft.runInThread(call::call);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected checked exception from a file operation: " + e, e);
        }
    }

    @Async
    private static <T> T unchecked(Callable<T> call) {
        try {
            return Weft.runInThread(call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected checked exception from a file operation: " + e, e);
        }
    }

    @Override
    public int compareTo(AsyncPath o) {
        return path.compareTo(o.path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsyncPath p && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /** Returns the path's string form, as {@link Path#toString()}. */
    @Override
    public String toString() {
        return path.toString();
    }
}
