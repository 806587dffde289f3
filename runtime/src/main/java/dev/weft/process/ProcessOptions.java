package dev.weft.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What child process to start and how: the command, its standard streams, its working
 * directory and environment, and how it is stopped. Immutable; every setter returns a new
 * value.
 * {@snippet :
 * ProcessResult r = Processes.run(ProcessOptions.command("git", "status", "--short")
 *         .directory(repo)
 *         .stdout(Stdio.PIPE)          // capture it
 *         .check(false));
 * }
 *
 * <h2>Standard streams</h2>
 * A stream left unset takes the default of the call that starts the process:
 * <table class="striped">
 *   <caption>Defaults</caption>
 *   <thead><tr><th>stream</th><th>{@link Processes#run}</th><th>{@link Processes#open}</th></tr></thead>
 *   <tbody>
 *   <tr><td>stdin</td><td>the {@linkplain #input(byte[]) input} bytes, by default none (the child
 *     reads an empty input)</td><td>{@link Stdio#PIPE}: {@link WeftProcess#stdin()}</td></tr>
 *   <tr><td>stdout</td><td>{@link Stdio#INHERIT}; {@link Stdio#PIPE} captures it</td>
 *     <td>{@link Stdio#PIPE}: {@link WeftProcess#stdout()}</td></tr>
 *   <tr><td>stderr</td><td>{@link Stdio#INHERIT}; {@link Stdio#PIPE} captures it</td>
 *     <td>{@link Stdio#INHERIT}</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Stopping</h2>
 * When a process must be stopped (its waiting task was cancelled, or the body of
 * {@link Processes#open(ProcessOptions, ProcessBody)} failed), Weft sends it SIGTERM
 * ({@link Process#destroy()}), waits up to the {@linkplain #killGrace(Duration) grace period}
 * (5 s by default, on the run's clock) for it to exit, then sends SIGKILL
 * ({@link Process#destroyForcibly()}) and waits for it. With {@link #killTree(boolean)} (the
 * default) the process's descendants get the same signals, so a shell's children do not
 * outlive it.
 */
public final class ProcessOptions {
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private List<String> command;
    private Stdio stdin;
    private Stdio stdout;
    private Stdio stderr;
    private byte[] input;
    private boolean check = true;
    private Path directory;
    /** Environment changes, in order: a null value removes the variable. */
    private Map<String, String> environment = Map.of();
    private boolean clearEnvironment;
    private Duration killGrace = DEFAULT_GRACE;
    private boolean killTree = true;

    private ProcessOptions() {
    }

    /**
     * Starts options for {@code command}.
     *
     * @param command the program and its arguments; the program is found on the {@code PATH}
     * @return new options with the defaults
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static ProcessOptions command(String... command) {
        return command(Arrays.asList(command));
    }

    /**
     * Starts options for {@code command}.
     *
     * @param command the program and its arguments
     * @return new options with the defaults
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static ProcessOptions command(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program, was empty");
        }
        ProcessOptions o = new ProcessOptions();
        o.command = List.copyOf(command);
        return o;
    }

    private ProcessOptions copy() {
        ProcessOptions o = new ProcessOptions();
        o.command = command;
        o.stdin = stdin;
        o.stdout = stdout;
        o.stderr = stderr;
        o.input = input;
        o.check = check;
        o.directory = directory;
        o.environment = environment;
        o.clearEnvironment = clearEnvironment;
        o.killGrace = killGrace;
        o.killTree = killTree;
        return o;
    }

    // ---------------------------------------------------------------- streams

    /**
     * Sets the bytes {@link Processes#run} feeds to the child's stdin before closing it; for
     * {@link Processes#open}, send through {@link WeftProcess#stdin()} instead.
     *
     * @param bytes the input (copied)
     * @return new options
     */
    public ProcessOptions input(byte[] bytes) {
        ProcessOptions o = copy();
        o.input = bytes.clone();
        o.stdin = Stdio.PIPE;
        return o;
    }

    /**
     * Sets the input as UTF-8 text; see {@link #input(byte[])}.
     *
     * @param text the input
     * @return new options
     */
    public ProcessOptions input(String text) {
        return input(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param where where stdin comes from @return new options */
    public ProcessOptions stdin(Stdio where) {
        ProcessOptions o = copy();
        o.stdin = Objects.requireNonNull(where, "where");
        if (where != Stdio.PIPE) {
            o.input = null;
        }
        return o;
    }

    /** @param where where stdout goes; {@link Stdio#PIPE} captures it in {@link Processes#run} @return new options */
    public ProcessOptions stdout(Stdio where) {
        ProcessOptions o = copy();
        o.stdout = Objects.requireNonNull(where, "where");
        return o;
    }

    /** @param where where stderr goes; {@link Stdio#PIPE} captures it in {@link Processes#run} @return new options */
    public ProcessOptions stderr(Stdio where) {
        ProcessOptions o = copy();
        o.stderr = Objects.requireNonNull(where, "where");
        return o;
    }

    /**
     * Pipes both stdout and stderr: {@link Processes#run} captures both.
     *
     * @return new options
     */
    public ProcessOptions captureOutput() {
        return stdout(Stdio.PIPE).stderr(Stdio.PIPE);
    }

    // ---------------------------------------------------------------- the rest

    /**
     * Sets whether {@link Processes#run} throws {@link ProcessFailedException} when the child
     * exits with a non-zero code (default true).
     *
     * @param check whether to check
     * @return new options
     */
    public ProcessOptions check(boolean check) {
        ProcessOptions o = copy();
        o.check = check;
        return o;
    }

    /**
     * Sets the child's working directory (default: the JVM's).
     *
     * @param directory the directory
     * @return new options
     */
    public ProcessOptions directory(Path directory) {
        ProcessOptions o = copy();
        o.directory = Objects.requireNonNull(directory, "directory");
        return o;
    }

    /**
     * Sets an environment variable of the child (which otherwise inherits the JVM's
     * environment).
     *
     * @param name the variable
     * @param value its value, or null to remove it
     * @return new options
     */
    public ProcessOptions environment(String name, String value) {
        ProcessOptions o = copy();
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(Objects.requireNonNull(name, "name"), value);
        o.environment = Collections.unmodifiableMap(env);
        return o;
    }

    /**
     * Starts the child with an empty environment, plus the variables set with
     * {@link #environment(String, String)}.
     *
     * @return new options
     */
    public ProcessOptions clearEnvironment() {
        ProcessOptions o = copy();
        o.clearEnvironment = true;
        return o;
    }

    /**
     * Sets how long a process being stopped may take to exit after SIGTERM before it gets
     * SIGKILL (default 5 s), measured on the run's clock.
     *
     * @param grace the grace period, at least 0
     * @return new options
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public ProcessOptions killGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0, was " + grace);
        }
        ProcessOptions o = copy();
        o.killGrace = grace;
        return o;
    }

    /**
     * Sets whether stopping the process also signals its descendants (default true). They
     * are signalled, not waited for: once the process has gone they are no longer this JVM's
     * children.
     *
     * @param tree whether to signal the descendants
     * @return new options
     */
    public ProcessOptions killTree(boolean tree) {
        ProcessOptions o = copy();
        o.killTree = tree;
        return o;
    }

    // ---------------------------------------------------------------- reading

    /** @return the program and its arguments */
    public List<String> command() {
        return command;
    }

    /** @return where stdin comes from, or null for the call's default */
    public Stdio stdin() {
        return stdin;
    }

    /** @return where stdout goes, or null for the call's default */
    public Stdio stdout() {
        return stdout;
    }

    /** @return where stderr goes, or null for the call's default */
    public Stdio stderr() {
        return stderr;
    }

    /** @return a copy of the input bytes, or null if none were set */
    public byte[] input() {
        return input == null ? null : input.clone();
    }

    /** @return whether a non-zero exit code fails {@link Processes#run} */
    public boolean check() {
        return check;
    }

    /** @return the working directory, or null for the JVM's */
    public Path directory() {
        return directory;
    }

    /** @return the environment changes, in order; a null value removes the variable */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return whether the child starts with an empty environment */
    public boolean clearsEnvironment() {
        return clearEnvironment;
    }

    /** @return the grace period between SIGTERM and SIGKILL */
    public Duration killGrace() {
        return killGrace;
    }

    /** @return whether descendants are signalled too */
    public boolean killsTree() {
        return killTree;
    }

    /** The input bytes, not copied; for {@link Processes}. */
    byte[] inputBytes() {
        return input;
    }

    /**
     * Makes the JDK's builder, with each unset stream at the given default.
     */
    ProcessBuilder toBuilder(Stdio defaultIn, Stdio defaultOut, Stdio defaultErr) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(redirect(stdin != null ? stdin : defaultIn, true));
        pb.redirectOutput(redirect(stdout != null ? stdout : defaultOut, false));
        pb.redirectError(redirect(stderr != null ? stderr : defaultErr, false));
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        Map<String, String> env = pb.environment();
        if (clearEnvironment) {
            env.clear();
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getValue() == null) {
                env.remove(e.getKey());
            } else {
                env.put(e.getKey(), e.getValue());
            }
        }
        return pb;
    }

    private static ProcessBuilder.Redirect redirect(Stdio s, boolean input) {
        switch (s) {
            case PIPE:
                return ProcessBuilder.Redirect.PIPE;
            case INHERIT:
                return ProcessBuilder.Redirect.INHERIT;
            default:
                // An empty input is a pipe closed at once; DISCARD is for output only.
                return input ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD;
        }
    }

    @Override
    public String toString() {
        return "ProcessOptions" + command + "[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr
                + ", check=" + check + (directory != null ? ", directory=" + directory : "") + ", killGrace="
                + killGrace + ", killTree=" + killTree + "]";
    }
}
