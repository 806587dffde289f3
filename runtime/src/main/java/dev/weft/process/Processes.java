package dev.weft.process;

import dev.weft.BrokenResourceException;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.ReceiveStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Runs child processes from async code: Trio's {@code run_process} and {@code open_process}.
 * {@snippet :
 * ProcessResult r = Processes.run(ProcessOptions.command("ls", "-l").stdout(Stdio.PIPE));
 * System.out.println(r.stdoutText());
 *
 * int code = Processes.open(ProcessOptions.command("cat"), p -> {
 *     p.stdin().sendAll("hello".getBytes(UTF_8));
 *     p.stdin().close();
 *     System.out.println(new String(p.stdout().receiveSome(100), UTF_8));
 *     return p.waitFor();
 * });
 * }
 *
 * <h2>Cancellation</h2>
 * No process outlives the call that started it: when {@link #run} is cancelled, or the body
 * of {@link #open(ProcessOptions, ProcessBody)} fails, the child is stopped (SIGTERM, then
 * SIGKILL after the {@linkplain ProcessOptions#killGrace(java.time.Duration) grace period};
 * see {@link WeftProcess#stop()}) and waited for before the call throws. Starting a process
 * runs on a worker thread (the fork can take milliseconds).
 *
 * <p>With a {@code MockClock} whose autojump is armed, the run is idle while it waits for a
 * child, so the grace period passes at once and a stopped child gets SIGKILL straight after
 * SIGTERM; tests of graceful shutdown should leave autojump off.
 *
 * <p>Everything here must be called from a task of a run.
 */
public final class Processes {
    private Processes() {
    }

    /**
     * Runs {@code command} to completion with the defaults: an empty stdin, stdout and stderr
     * inherited from the JVM, and a non-zero exit code thrown as
     * {@link ProcessFailedException}. A checkpoint.
     *
     * @param command the program and its arguments
     * @return the exit code and (nothing) captured
     * @throws IOException if the process cannot be started
     * @throws ProcessFailedException if it exits with a non-zero code
     * @throws dev.weft.Cancelled if the task is cancelled; the child has been stopped
     */
    @Async
    public static ProcessResult run(String... command) throws IOException, ProcessFailedException {
        return run(ProcessOptions.command(command));
    }

    /**
     * Runs a process to completion: starts it, feeds it the
     * {@linkplain ProcessOptions#input(byte[]) input} (a child that exits without reading all
     * of it is not an error), captures the outputs set to {@link Stdio#PIPE}, and waits for it
     * to exit. A checkpoint.
     *
     * @param options the command and its settings
     * @return the exit code and the captured output
     * @throws IOException if the process cannot be started
     * @throws ProcessFailedException if it exits with a non-zero code and
     *     {@link ProcessOptions#check()} is set
     * @throws dev.weft.Cancelled if the task is cancelled; the child has been stopped and
     *     waited for
     */
    @Async
    public static ProcessResult run(ProcessOptions options) throws IOException, ProcessFailedException {
        Stdio in = options.stdin() != null ? options.stdin() : Stdio.DISCARD;
        Stdio out = options.stdout() != null ? options.stdout() : Stdio.INHERIT;
        Stdio err = options.stderr() != null ? options.stderr() : Stdio.INHERIT;
        byte[] input = options.inputBytes();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        int code = open(options, in, out, err, p -> Nursery.call(n -> {
            if (in == Stdio.PIPE) {
                n.startSoon("feed stdin of " + p.pid(), () -> feed(p, input));
            }
            if (out == Stdio.PIPE) {
                n.startSoon("capture stdout of " + p.pid(), () -> drain(p.stdout(), captured));
            }
            if (err == Stdio.PIPE) {
                n.startSoon("capture stderr of " + p.pid(), () -> drain(p.stderr(), capturedErr));
            }
            return p.waitFor();
        }));
        ProcessResult result = new ProcessResult(options.command(), code, captured.toByteArray(),
                capturedErr.toByteArray());
        if (code != 0 && options.check()) {
            throw new ProcessFailedException(result);
        }
        return result;
    }

    @Async
    private static void feed(WeftProcess p, byte[] input) {
        try {
            if (input != null && input.length > 0) {
                p.stdin().sendAll(input);
            }
        } catch (BrokenResourceException e) {
            // The child exited (or closed its stdin) without reading everything: its exit code says how it went.
        }
        p.stdin().close();
    }

    @Async
    private static void drain(ReceiveStream from, ByteArrayOutputStream into) {
        byte[] buf = new byte[65536];
        for (int n; (n = from.receive(buf)) != -1; ) {
            into.write(buf, 0, n);
        }
    }

    /**
     * Starts a process and returns it, running, with its pipes as Weft streams (by default a
     * piped stdin and stdout and an inherited stderr; see {@link ProcessOptions}): Trio's
     * {@code open_process}. The caller owns it: {@link WeftProcess#waitFor()} or
     * {@link WeftProcess#close()} it in a {@code finally}, or prefer
     * {@link #open(ProcessOptions, ProcessBody)}, which does that. A checkpoint.
     *
     * @param options the command and its settings
     * @return the running process
     * @throws IOException if the process cannot be started
     * @throws IllegalArgumentException if the options set {@link ProcessOptions#input(byte[])
     *     input} bytes, which only {@link #run} feeds
     */
    @Async
    public static WeftProcess open(ProcessOptions options) throws IOException {
        if (options.inputBytes() != null) {
            throw new IllegalArgumentException("ProcessOptions.input(...) is fed by Processes.run only; with open, "
                    + "send the bytes through process.stdin()");
        }
        Stdio in = options.stdin() != null ? options.stdin() : Stdio.PIPE;
        Stdio out = options.stdout() != null ? options.stdout() : Stdio.PIPE;
        Stdio err = options.stderr() != null ? options.stderr() : Stdio.INHERIT;
        return start(options, in, out, err);
    }

    @Async
    private static WeftProcess start(ProcessOptions options, Stdio in, Stdio out, Stdio err) throws IOException {
        ProcessBuilder builder = options.toBuilder(in, out, err);
        Process process;
        try {
            process = Weft.runInThread(builder::start);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ProcessBuilder.start failed: " + e, e);
        }
        if (in == Stdio.DISCARD) {
            // An empty input: the pipe's write end closes at once, so the child reads its end.
            closeQuietly(process);
        }
        return new WeftProcess(process, options, in == Stdio.PIPE, out == Stdio.PIPE, err == Stdio.PIPE);
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing was written to it, so nothing can be lost.
        }
    }

    /**
     * Starts a process, runs {@code body} with it, and makes sure it has ended before this
     * returns: when the body returns, the process is {@linkplain WeftProcess#close() closed}
     * (stdin closed, the exit waited for, the outputs closed); when the body throws (or is
     * cancelled), the process is {@linkplain WeftProcess#stop() stopped} and waited for, and
     * the failure is rethrown. A checkpoint.
     *
     * @param options the command and its settings (defaults as for {@link #open(ProcessOptions)})
     * @param body the code that talks to the process
     * @param <T> the body's value type
     * @param <X> the checked exception the body may throw
     * @return the body's value
     * @throws IOException if the process cannot be started
     * @throws X what the body threw, once the process has been stopped
     * @throws dev.weft.Cancelled if the task was cancelled; the process has been stopped
     */
    @Async
    public static <T, X extends Exception> T open(ProcessOptions options, ProcessBody<T, X> body)
            throws IOException, X {
        if (options.inputBytes() != null) {
            throw new IllegalArgumentException("ProcessOptions.input(...) is fed by Processes.run only; with open, "
                    + "send the bytes through process.stdin()");
        }
        return open(options, options.stdin() != null ? options.stdin() : Stdio.PIPE,
                options.stdout() != null ? options.stdout() : Stdio.PIPE,
                options.stderr() != null ? options.stderr() : Stdio.INHERIT, body);
    }

    @Async
    private static <T, X extends Exception> T open(ProcessOptions options, Stdio in, Stdio out, Stdio err,
            ProcessBody<T, X> body) throws IOException, X {
        WeftProcess p = start(options, in, out, err);
        T value;
        try {
            value = body.apply(p);
        } catch (Throwable t) {
            p.abort();
            throw t;
        }
        p.close();
        return value;
    }
}
