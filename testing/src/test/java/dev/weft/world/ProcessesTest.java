package dev.weft.world;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.process.ProcessFailedException;
import dev.weft.process.ProcessOptions;
import dev.weft.process.ProcessResult;
import dev.weft.process.Processes;
import dev.weft.process.Stdio;
import dev.weft.process.WeftProcess;
import dev.weft.BusyResourceException;
import dev.weft.stream.ReceiveStream;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Processes} and {@code WeftProcess}: running, capturing, feeding, checking, and above
 * all stopping children so none outlives its scope. The children are {@code /bin/sh} one-liners;
 * the tests wait on their output or their exit, never on time. Ported in spirit from
 * python-trio/trio {@code src/trio/_tests/test_subprocess.py}.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProcessesTest {
    @TempDir
    Path dir;

    private static ProcessOptions sh(String script) {
        return ProcessOptions.command("/bin/sh", "-c", script);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code in} until {@code marker} has arrived; returns everything read. */
    @Async
    private static String readUntil(ReceiveStream in, String marker) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        while (!got.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.receive(buf);
            if (n < 0) {
                throw new AssertionError("the stream ended before \"" + marker + "\"; got: " + got);
            }
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static void assertGone(long pid) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is alive");
    }

    // ---------------------------------------------------------------- run

    @WeftTest
    @Async
    void run_echoWithCapturedStdout_returnsExitCodeAndOutput() throws Exception {
        ProcessResult r = Processes.run(sh("echo hello; echo oops >&2").captureOutput());
        assertEquals(0, r.exitCode());
        assertEquals("hello\n", r.stdoutText());
        assertEquals("oops\n", r.stderrText());
    }

    @WeftTest
    @Async
    void run_nonZeroExitWithCheck_throwsProcessFailedWithTheCodeAndOutput() {
        ProcessFailedException e = assertThrows(ProcessFailedException.class,
                () -> Processes.run(sh("echo partial; echo broken >&2; exit 3").captureOutput()));
        assertEquals(3, e.exitCode());
        assertEquals("partial\n", new String(e.stdout(), StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("exited with code 3") && e.getMessage().contains("broken"), e.getMessage());
    }

    @WeftTest
    @Async
    void run_nonZeroExitWithoutCheck_returnsTheCode() throws Exception {
        assertEquals(7, Processes.run(sh("exit 7").check(false)).exitCode());
    }

    @WeftTest
    @Async
    void run_inputBytes_areFedToStdinAndClosed() throws Exception {
        ProcessResult r = Processes.run(ProcessOptions.command("cat").input("line one\nline two\n").stdout(Stdio.PIPE));
        assertEquals("line one\nline two\n", r.stdoutText());
    }

    @WeftTest
    @Async
    void run_largeInputToChildThatReadsNothing_isNotAnError() throws Exception {
        byte[] big = new byte[1 << 20];
        assertEquals(0, Processes.run(sh("exit 0").input(big)).exitCode());
    }

    @WeftTest
    @Async
    void run_noInputByDefault_childReadsAnEmptyStdin() throws Exception {
        assertEquals("0\n", Processes.run(sh("wc -c | tr -d ' '").stdout(Stdio.PIPE)).stdoutText());
    }

    @WeftTest
    @Async
    void run_directoryAndEnvironment_areTheChildsOwn() throws Exception {
        ProcessResult r = Processes.run(sh("pwd; echo \"$WEFT_TEST_VAR\"").directory(dir)
                .environment("WEFT_TEST_VAR", "set by the test").stdout(Stdio.PIPE));
        assertEquals(dir.toRealPath() + "\nset by the test\n", r.stdoutText());
    }

    @WeftTest
    @Async
    void run_missingProgram_throwsIOException() {
        assertThrows(IOException.class, () -> Processes.run("/nonexistent/weft-test-program"));
    }

    // ---------------------------------------------------------------- open and streams

    @WeftTest
    @Async
    void open_cat_sendThenCloseStdinThenReceiveEverything() throws Exception {
        String out = Processes.open(ProcessOptions.command("cat"), p -> {
            p.stdin().sendAll(utf8("round trip\n"));
            p.stdin().close();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[3];
            for (int n; (n = p.stdout().receive(buf)) != -1; ) {
                got.write(buf, 0, n);
            }
            assertEquals(0, p.waitFor());
            return got.toString(StandardCharsets.UTF_8);
        });
        assertEquals("round trip\n", out);
    }

    @WeftTest
    @Async
    void receive_cancelledWhileWaiting_losesNoBytes(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        Processes.open(ProcessOptions.command("cat"), p -> {
            byte[] buf = new byte[64];
            CancelScope timeout = CancelScope.moveOnAfter(Duration.ofSeconds(1));
            timeout.run(() -> p.stdout().receive(buf));
            assertTrue(timeout.cancelledCaught(), "nothing to read: the receive was cancelled");
            p.stdin().sendAll(utf8("kept\n"));
            assertEquals("kept\n", readUntil(p.stdout(), "\n"));
            return null;
        });
    }

    @WeftTest
    @Async
    void receive_secondTaskWhileOneWaits_throwsBusyResource() throws Exception {
        Processes.open(ProcessOptions.command("cat"), p -> {
            Nursery.open(n -> {
                n.startSoon(() -> assertEquals("x", readUntil(p.stdout(), "x")));
                Testing.waitAllTasksBlocked();
                assertThrows(BusyResourceException.class, () -> p.stdout().receive(new byte[1]));
                p.stdin().sendAll(utf8("x"));
            });
            return null;
        });
    }

    @WeftTest
    @Async
    void receive_streamClosedByAnotherTask_waiterGetsClosedResource() throws Exception {
        Processes.open(ProcessOptions.command("cat"), p -> {
            AtomicReference<Throwable> got = new AtomicReference<>();
            Nursery.open(n -> {
                n.startSoon(() -> got.set(assertThrows(ClosedResourceException.class,
                        () -> p.stdout().receive(new byte[8]))));
                Testing.waitAllTasksBlocked();
                p.stdout().close();
            });
            assertTrue(got.get().getMessage().contains("closed"), got.get().getMessage());
            assertThrows(ClosedResourceException.class, () -> p.stdout().receiveSome(1));
            return null;
        });
    }

    @WeftTest
    @Async
    void stdin_notPiped_throwsIllegalStateNamingTheOption() throws Exception {
        Processes.open(sh("exit 0").stdin(Stdio.DISCARD), p -> {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    p::stdin);
            assertTrue(e.getMessage().contains("ProcessOptions.stdin(Stdio.PIPE)"), e.getMessage());
            return p.waitFor();
        });
    }

    // ---------------------------------------------------------------- no child outlives its scope

    @WeftTest
    @Async
    void waitFor_cancelled_stopsTheChildWithSigtermAndLeavesNoneBehind() throws Exception {
        AtomicLong pid = new AtomicLong();
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> scope.run(() -> Processes.open(sh("echo ready; exec sleep 1000"), p -> {
                pid.set(p.pid());
                readUntil(p.stdout(), "ready");
                return p.waitFor();
            })));
            Testing.waitAllTasksBlocked();
            log.add("child blocked in waitFor");
            scope.cancel();
        });
        assertTrue(scope.cancelledCaught());
        assertGone(pid.get());
        assertEquals(List.of("child blocked in waitFor"), log);
    }

    @WeftTest
    @Async
    void run_cancelled_leavesNoChildNorGrandchildBehind() throws Exception {
        // The shell reports its pid and its child's through a FIFO: reading it is the event
        // that both have started.
        Path fifo = dir.resolve("pids");
        Processes.run("mkfifo", fifo.toString());
        CancelScope scope = new CancelScope();
        AtomicReference<String> pids = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon(() -> scope.run(() -> Processes.run(sh("sleep 1000 & echo $$ $! > " + fifo + "; wait"))));
            pids.set(Weft.runInThread(() -> Files.readString(fifo)));
            scope.cancel();
        });
        assertTrue(scope.cancelledCaught());
        String[] both = pids.get().trim().split(" ");
        assertGone(Long.parseLong(both[0]));
        // The grandchild got SIGTERM too. It is not this JVM's child, so nothing here can wait
        // for it as an event: watch its state until it has died.
        long grandchild = Long.parseLong(both[1]);
        assertTrue(Weft.runInThread(() -> deadOrZombieWithin(grandchild, 10)), "grandchild " + grandchild + " lives");
    }

    /**
     * Whether {@code pid} is gone or a zombie (dead, waiting for a parent that may never reap
     * it: in a container whose init does not reap orphans, a killed grandchild stays a zombie,
     * and the JDK counts a zombie as alive), checking its state until {@code seconds} pass.
     */
    private static boolean deadOrZombieWithin(long pid, int seconds) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Path stat = Path.of("/proc/" + pid + "/stat");
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).isEmpty() || !Files.exists(stat)) {
                return true;
            }
            String s;
            try {
                s = Files.readString(stat);
            } catch (NoSuchFileException gone) {
                return true;
            }
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @WeftTest
    @Async
    void stop_childIgnoresSigterm_getsSigkillAfterTheGracePeriodOnTheRunsClock(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        AtomicReference<WeftProcess> child = new AtomicReference<>();
        int code = Processes.open(sh("trap '' TERM; echo ready; exec tail -f /dev/null")
                .killGrace(Duration.ofSeconds(5)), p -> {
                    child.set(p);
                    readUntil(p.stdout(), "ready");
                    return p.stop();
                });
        assertEquals(137, code, "128 + SIGKILL");
        assertEquals(5.0, Weft.currentTime(), "the grace period passed on the mock clock");
        assertGone(child.get().pid());
    }

    @WeftTest
    @Async
    void open_bodyThrows_childIsStoppedThenTheFailureRethrown() {
        AtomicLong pid = new AtomicLong();
        IOException e = assertThrows(IOException.class, () -> Processes.open(sh("exec sleep 1000"), p -> {
            pid.set(p.pid());
            throw new IOException("body failed");
        }));
        assertEquals("body failed", e.getMessage());
        assertGone(pid.get());
    }

    @WeftTest
    @Async
    void close_bodyReturns_waitsForTheChildToExitAfterItsInputEnds() throws Exception {
        AtomicReference<WeftProcess> child = new AtomicReference<>();
        Processes.open(sh("cat > /dev/null; exit 4"), p -> {
            child.set(p);
            p.stdin().sendAll(utf8("ignored"));
            return null;
        });
        assertEquals(4, child.get().exitCode().orElseThrow());
    }
}
