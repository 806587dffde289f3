package dev.weft.process;

import dev.weft.AwaitCancellation;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.BlockingReceiveStream;
import dev.weft.stream.BlockingSendStream;
import dev.weft.stream.ReceiveStream;
import dev.weft.stream.SendStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A running child process, as seen from async code: its pipes are Weft streams, waiting for it
 * parks only the task, and a cancelled wait stops it. Trio's {@code trio.Process}. Made by
 * {@link Processes#open}.
 * {@snippet :
 * Processes.open(ProcessOptions.command("sort"), p -> {
 *     p.stdin().sendAll("b\na\n".getBytes(UTF_8));
 *     p.stdin().close();
 *     byte[] sorted = p.stdout().receiveSome(1024);
 *     return p.waitFor();
 * });
 * }
 *
 * <h2>No process outlives its scope</h2>
 * {@link #waitFor()} and {@link #close()}, if cancelled, {@linkplain #stop() stop} the process
 * (SIGTERM, the grace period, SIGKILL) and wait for it before they throw {@link Cancelled}.
 * The body form {@link Processes#open(ProcessOptions, ProcessBody)} closes the process when the
 * body returns and stops it when the body fails, so the process ends within the call.
 *
 * <h2>States</h2>
 * <table class="striped">
 *   <caption>What the process answers</caption>
 *   <thead><tr><th>state</th><th>{@link #exitCode()}</th><th>{@link #isAlive()}</th>
 *     <th>{@link #waitFor()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>running</td><td>empty</td><td>true</td><td>waits</td></tr>
 *   <tr><td>exited</td><td>the code</td><td>false</td><td>returns the code (a checkpoint)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Methods must be called from tasks of the run that started the process, except
 * {@link #pid()}, {@link #exitCode()}, {@link #isAlive()}, {@link #terminate()} and
 * {@link #kill()}, which any thread may call.
 */
public final class WeftProcess {
    private final Process process;
    private final ProcessOptions options;
    private final BlockingSendStream stdin;
    private final BlockingReceiveStream stdout;
    private final BlockingReceiveStream stderr;

    WeftProcess(Process process, ProcessOptions options, boolean stdinPiped, boolean stdoutPiped,
            boolean stderrPiped) {
        this.process = process;
        this.options = options;
        String of = " of process " + process.pid() + " " + options.command();
        this.stdin = stdinPiped ? new BlockingSendStream(process.getOutputStream(), "stdin" + of) : null;
        this.stdout = stdoutPiped ? new BlockingReceiveStream(process.getInputStream(), "stdout" + of) : null;
        this.stderr = stderrPiped ? new BlockingReceiveStream(process.getErrorStream(), "stderr" + of) : null;
    }

    /** Returns the operating system's id of the process. Not a checkpoint. @return the pid */
    public long pid() {
        return process.pid();
    }

    /** Returns the command. Not a checkpoint. @return the program and its arguments */
    public List<String> command() {
        return options.command();
    }

    /** Returns the JDK's handle on the process, for its descendants and info. @return the handle */
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    // ---------------------------------------------------------------- streams

    /**
     * Returns the child's standard input.
     *
     * @return a stream whose {@code close()} makes the child read the end of its input
     * @throws IllegalStateException if stdin is not {@link Stdio#PIPE}
     */
    public SendStream stdin() {
        if (stdin == null) {
            throw notPiped("stdin");
        }
        return stdin;
    }

    /**
     * Returns the child's standard output.
     *
     * @return a stream that ends when the child (and any descendant holding the pipe) exits
     * @throws IllegalStateException if stdout is not {@link Stdio#PIPE}
     */
    public ReceiveStream stdout() {
        if (stdout == null) {
            throw notPiped("stdout");
        }
        return stdout;
    }

    /**
     * Returns the child's standard error.
     *
     * @return the stream
     * @throws IllegalStateException if stderr is not {@link Stdio#PIPE}
     */
    public ReceiveStream stderr() {
        if (stderr == null) {
            throw notPiped("stderr");
        }
        return stderr;
    }

    private IllegalStateException notPiped(String which) {
        return new IllegalStateException(which + " of process " + pid() + " " + command() + " is not a pipe: set "
                + "ProcessOptions." + which + "(Stdio.PIPE) to talk to it");
    }

    // ---------------------------------------------------------------- state

    /**
     * Returns the exit code if the process has exited. Not a checkpoint; callable from any
     * thread.
     *
     * @return the code, or empty while it runs
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Returns whether the process is still running. Not a checkpoint. @return true if so */
    public boolean isAlive() {
        return process.isAlive();
    }

    // ---------------------------------------------------------------- waiting and stopping

    /**
     * Waits for the process to exit and returns its exit code. A checkpoint. If the task is
     * cancelled meanwhile, the process is {@linkplain #stop() stopped} (that part shielded from
     * the cancellation), and then {@link Cancelled} is thrown: the process does not outlive
     * the wait.
     *
     * @return the exit code
     * @throws Cancelled if the task was cancelled; the process has exited by then
     */
    @Async
    public int waitFor() {
        try {
            awaitExit();
        } catch (Cancelled c) {
            stop();
            throw c;
        }
        return process.exitValue();
    }

    /**
     * Stops the process and waits for it: SIGTERM to it (and, with
     * {@link ProcessOptions#killTree(boolean)}, its descendants), up to
     * {@link ProcessOptions#killGrace(Duration)} on the run's clock for it to exit, then
     * SIGKILL to whatever is left, and a wait for the process. Shielded from cancellation, so it
     * finishes even in a cancelled scope. A checkpoint. Returns at once (after a checkpoint) if
     * the process has already exited.
     *
     * @return the exit code (usually 143 after SIGTERM, 137 after SIGKILL)
     */
    @Async
    public int stop() {
        new CancelScope().setShield(true).run(() -> {
            if (!process.isAlive()) {
                Weft.checkpoint();
                return;
            }
            // Signals through the handle: Process.destroy() would also close the pipes, and a
            // task still reading the child's output would lose what is left in them.
            ProcessHandle self = process.toHandle();
            List<ProcessHandle> tree = options.killsTree() ? process.descendants().toList() : List.of();
            for (ProcessHandle h : tree) {
                h.destroy();
            }
            self.destroy();
            CancelScope.moveOnAfter(options.killGrace()).run(this::awaitExit);
            for (ProcessHandle h : tree) {
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
            if (process.isAlive()) {
                self.destroyForcibly();
                awaitExit();
            }
        });
        return process.exitValue();
    }

    /**
     * Sends SIGTERM to the process (only; not its descendants), and returns at once. Unlike
     * {@link Process#destroy()}, it leaves the pipes open, so what the child wrote can still be
     * received. Not a checkpoint; callable from any thread.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Sends SIGKILL to the process (only; not its descendants), and returns at once; the pipes
     * stay open, as with {@link #terminate()}. Not a checkpoint; callable from any thread.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * Closes the process gracefully: closes its stdin (the child reads the end of its input),
     * waits for it to exit, and closes its stdout and stderr. A checkpoint. If cancelled, the
     * process is {@linkplain #stop() stopped} and its streams closed before
     * {@link Cancelled} is thrown. Idempotent.
     *
     * @throws Cancelled if the task was cancelled; the process has exited by then
     */
    @Async
    public void close() {
        try {
            if (stdin != null) {
                stdin.close();
            }
            waitFor();
        } catch (Cancelled c) {
            stop();
            closeOutputs();
            throw c;
        }
        closeOutputs();
    }

    /** Stops the process and closes its streams, shielded: the cleanup of a body that failed. */
    @Async
    void abort() {
        stop();
        new CancelScope().setShield(true).run(() -> {
            if (stdin != null) {
                stdin.close();
            }
            closeOutputs();
        });
    }

    @Async
    private void closeOutputs() {
        new CancelScope().setShield(true).run(() -> {
            if (stdout != null) {
                stdout.close();
            }
            if (stderr != null) {
                stderr.close();
            }
        });
    }

    /** Waits for the exit without stopping the process on cancellation. */
    @Async
    private void awaitExit() {
        try {
            Weft.await(process.onExit(), AwaitCancellation.STOP_WAITING);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Process.onExit() of " + pid() + " failed: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "WeftProcess[pid " + pid() + ", " + command() + (process.isAlive() ? ", running]"
                : ", exited with " + process.exitValue() + "]");
    }
}
