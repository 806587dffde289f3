package dev.weft.samples.supervisor;

import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.TaskStatus;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.process.ProcessOptions;
import dev.weft.process.Processes;
import dev.weft.process.Stdio;
import dev.weft.process.WeftProcess;
import dev.weft.signal.Signals;
import dev.weft.stream.ReceiveStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A process supervisor: starts several child processes, prints their output with their name,
 * restarts each one that exits (after a back-off that doubles while it keeps failing), and
 * stops them all cleanly when the run is cancelled: on Ctrl+C, every child gets SIGTERM and is
 * waited for before the program exits. On SIGHUP it restarts every child at once.
 *
 * <p>What it shows: one task per child in a nursery, {@code Processes.open} with a body (the
 * child cannot outlive it), a child's stdout as a Weft stream, per-child cancel scopes for
 * restarts, {@code Signals.receive} for SIGHUP, and {@code Nursery.start} to report once every
 * child is up.
 */
public final class Supervisor {

    /**
     * One supervised program.
     *
     * @param name its name in the output
     * @param script a {@code /bin/sh} script
     */
    public record Child(String name, String script) {
    }

    /** The children the sample starts when none are given: one steady, two that keep dying. */
    public static final List<Child> DEFAULT_CHILDREN = List.of(
            new Child("steady", "while :; do echo alive; sleep 1; done"),
            new Child("ticker", "for i in 1 2 3; do echo tick $i; sleep 0.2; done; exit 0"),
            new Child("crasher", "echo starting; sleep 0.3; echo 'something broke' >&2; exit 3"));

    private final PrintStream out;
    private final List<Child> children;
    private final Duration firstBackoff;
    private final int maxRestarts;
    /** Each child's current cancel scope, to restart it on SIGHUP. Run's thread only. */
    private final Map<String, CancelScope> current = new LinkedHashMap<>();
    /** Restarts made so far, by child. Run's thread only. */
    private final Map<String, Integer> restarts = new LinkedHashMap<>();

    /**
     * @param out where to print
     * @param children what to supervise
     * @param firstBackoff the delay before the first restart; it doubles per failure, up to 8 s
     * @param maxRestarts how often to restart one child before giving up on it
     *     ({@link Integer#MAX_VALUE}: forever)
     */
    public Supervisor(PrintStream out, List<Child> children, Duration firstBackoff, int maxRestarts) {
        this.out = out;
        this.children = List.copyOf(children);
        this.firstBackoff = firstBackoff;
        this.maxRestarts = maxRestarts;
    }

    /**
     * Supervises every child until each has used up its restarts, or until cancelled; once every
     * child has started for the first time, reports their pids through {@code status}.
     *
     * @param status where to report the first pids (for {@code Nursery.start})
     */
    @Async
    public void supervise(TaskStatus<List<Long>> status) throws Exception {
        List<Long> firstPids = new ArrayList<>();
        try {
            Nursery.open(n -> {
                n.startSoon("SIGHUP", () -> restartOnHangup());
                Nursery.open(kids -> {
                    for (Child c : children) {
                        kids.startSoon(c.name(), () -> keepRunning(c, firstPids, status));
                    }
                });
                n.cancelScope().cancel("every child has given up");
            });
        } catch (Cancelled c) {
            out.println("[supervisor] stopped; every child was stopped and waited for");
            throw c;
        }
        out.println("[supervisor] every child used up its restarts: " + restarts);
    }

    /** Restarts every child on SIGHUP (the Unix convention for "reload"). */
    @Async
    private void restartOnHangup() {
        Signals.receive(Set.of("HUP"), signals -> {
            while (true) {
                signals.next();
                out.println("[supervisor] SIGHUP: restarting every child");
                for (CancelScope s : current.values()) {
                    s.cancel("SIGHUP");
                }
            }
        });
    }

    @Async
    private void keepRunning(Child c, List<Long> firstPids, TaskStatus<List<Long>> status) throws Exception {
        Duration backoff = firstBackoff;
        restarts.put(c.name(), 0);
        while (true) {
            CancelScope scope = new CancelScope();
            current.put(c.name(), scope);
            Integer code = scope.call(() -> runOnce(c, firstPids, status));
            current.remove(c.name());
            if (scope.cancelledCaught()) {
                out.println("[" + c.name() + "] restarted by request");
                backoff = firstBackoff;
                continue;
            }
            int made = restarts.merge(c.name(), 1, Integer::sum);
            if (made > maxRestarts) {
                out.println("[" + c.name() + "] exited with code " + code + "; giving up after " + maxRestarts
                        + " restarts");
                restarts.put(c.name(), maxRestarts);
                return;
            }
            out.println("[" + c.name() + "] exited with code " + code + "; restarting in " + backoff.toMillis() + " ms");
            Weft.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(8)) > 0 ? Duration.ofSeconds(8)
                    : backoff.multipliedBy(2);
        }
    }

    /** Runs the child once, printing its output, and returns its exit code. */
    @Async
    private int runOnce(Child c, List<Long> firstPids, TaskStatus<List<Long>> status) throws Exception {
        ProcessOptions options = ProcessOptions.command("/bin/sh", "-c", c.script()).stdin(Stdio.DISCARD)
                .stdout(Stdio.PIPE).stderr(Stdio.PIPE).killGrace(Duration.ofSeconds(2));
        return Processes.open(options, p -> {
            out.println("[" + c.name() + "] started, pid " + p.pid());
            if (firstPids.size() < children.size()) {
                firstPids.add(p.pid());
                if (firstPids.size() == children.size() && status != null) {
                    status.started(List.copyOf(firstPids));
                }
            }
            return Nursery.call(n -> {
                n.startSoon(() -> echo(c.name(), "", p.stdout()));
                n.startSoon(() -> echo(c.name(), "(stderr) ", p.stderr()));
                return waitLoudly(c, p);
            });
        });
    }

    @Async
    private int waitLoudly(Child c, WeftProcess p) {
        try {
            return p.waitFor();
        } catch (Cancelled e) {
            out.println("[" + c.name() + "] stopped (exit code " + p.exitCode().orElse(-1) + ")");
            throw e;
        }
    }

    /** Prints each line of {@code in} with the child's name. */
    @Async
    private void echo(String name, String prefix, ReceiveStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.receive(buf)) != -1; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    out.println("[" + name + "] " + prefix + line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(buf[i]);
                }
            }
        }
        if (line.size() > 0) {
            out.println("[" + name + "] " + prefix + line.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Runs the supervisor in a new run: until Ctrl+C, or for {@code lifetime} if it is not
     * null, then stops every child.
     *
     * @param runner the runner
     * @param lifetime how long to supervise, or null for until interrupted
     * @throws Exception if the run fails
     */
    public void run(Runner runner, Duration lifetime) throws Exception {
        runner.run(() -> {
            CancelScope scope = lifetime == null ? new CancelScope() : CancelScope.moveOnAfter(lifetime);
            scope.run(() -> Nursery.open(n -> {
                List<Long> pids = n.start(status -> supervise(status));
                out.println("[supervisor] " + pids.size() + " children up: pids " + pids
                        + (lifetime == null ? "; Ctrl+C stops them all, SIGHUP restarts them" : ""));
            }));
            if (scope.cancelledCaught()) {
                out.println("[supervisor] " + lifetime.toMillis() + " ms are up");
            }
        });
    }
}
