package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.samples.echo.Echo;
import dev.weft.samples.tlsecho.TlsEcho;
import dev.weft.samples.spider.Spider;
import dev.weft.samples.supervisor.Supervisor;
import dev.weft.testing.MockClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The supervisor, spider and echo samples: real child processes, real HTTP and TCP on 127.0.0.1, with
 * the supervisor's back-off on a mock clock so that no test waits for time to pass.
 */
class WorldSamplesTest {

    private static long count(List<String> lines, String part) {
        return lines.stream().filter(l -> l.contains(part)).count();
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void supervisor_childrenThatKeepExiting_areRestartedUntilTheyGiveUp() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Supervisor sup = new Supervisor(out, List.of(new Supervisor.Child("a", "echo hi from a; exit 2"),
                new Supervisor.Child("b", "echo oops >&2; exit 5")), Duration.ofSeconds(1), 2);
        MockClock clock = new MockClock().autojumpThreshold(0);
        double took = Weft.runner().handleInterrupts(false).clock(clock).run(() -> {
            Nursery.open(n -> n.<List<Long>>start(status -> sup.supervise(status)));
            return Weft.currentTime();
        });
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        String all = String.join("\n", lines);
        assertEquals(3, count(lines, "[a] started"), all);
        assertEquals(3, count(lines, "[a] hi from a"), all);
        assertEquals(2, count(lines, "[a] exited with code 2; restarting"), all);
        assertEquals(1, count(lines, "[a] exited with code 2; giving up after 2 restarts"), all);
        assertEquals(3, count(lines, "[b] (stderr) oops"), all);
        assertEquals(1, count(lines, "[b] exited with code 5; giving up"), all);
        assertTrue(lines.get(lines.size() - 1).startsWith("[supervisor] every child used up its restarts"), all);
        // Back-offs of 1 s and 2 s per child on the mock clock; while one child's process runs the run
        // is idle, so the clock may jump to the other child's back-off first and add to the total.
        assertTrue(took >= 3.0, "took " + took);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void supervisor_cancelled_stopsEveryChildAndLeavesNoneBehind() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Supervisor sup = new Supervisor(out, List.of(new Supervisor.Child("x", "exec sleep 1000"),
                new Supervisor.Child("y", "exec sleep 1000"), new Supervisor.Child("z", "exec sleep 1000")),
                Duration.ofSeconds(1), Integer.MAX_VALUE);
        List<Long> pids = new ArrayList<>();
        Weft.runner().handleInterrupts(false).run(() -> Nursery.open(n -> {
            pids.addAll(n.<List<Long>>start(status -> sup.supervise(status)));
            n.cancelScope().cancel("the test is over");
        }));
        assertEquals(3, pids.size());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " lives");
        }
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, count(all.lines().toList(), "stopped (exit code 143)"), all);
        assertTrue(all.contains("[supervisor] stopped; every child was stopped and waited for"), all);
    }

    @Test
    void spider_localSite_fetchesEveryPageOnceWithinTheLimit() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Spider.Result r = new Spider(out, 40, 3, Duration.ZERO).run(Weft.runner().handleInterrupts(false));
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(40, r.pages(), all);
        assertTrue(r.mostInFlight() >= 1 && r.mostInFlight() <= 3, "most in flight: " + r.mostInFlight());
        assertTrue(all.contains("\rspider: fetched 40/40, 0 in flight"), all);
        assertTrue(all.contains("spider: fetched 40 pages in "), all);
    }

    @Test
    void echo_fiveClients_eachGetsItsLinesBackAndTheServerStops() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new Echo(out, 5).run(Weft.runner().handleInterrupts(false));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        String all = String.join("\n", lines);
        assertTrue(lines.get(0).startsWith("server: listening on 127.0.0.1:"), all);
        for (int k = 1; k <= 5; k++) {
            assertTrue(lines.contains("client-" + k + ": echoed back: hello from client-" + k), all);
            assertTrue(lines.contains("client-" + k + ": echoed back: bye from client-" + k), all);
        }
        assertEquals(5, count(lines, "server: echoed 38 bytes to a client"), all);
        assertEquals("main: the server has stopped and its listener is closed", lines.get(lines.size() - 1), all);
    }

    @Test
    void tlsEcho_fourClients_verifiedEchoesRefusedStrangerAndTheServerStops() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new TlsEcho(out, 4).run(Weft.runner().handleInterrupts(false));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        String all = String.join("\n", lines);
        assertTrue(lines.get(0).startsWith("main: made a test CA and a certificate for localhost"), all);
        for (int k = 1; k <= 4; k++) {
            assertTrue(lines.contains("client-" + k + ": echoed back: hello from client-" + k), all);
            assertTrue(lines.contains("client-" + k + ": echoed back: bye from client-" + k), all);
            assertTrue(all.contains("client-" + k + ": TLSv1.3, "), all);
            assertTrue(all.contains("client-" + k + ": TLSv1.3, ") && all.contains(", ALPN echo/1, server is "), all);
        }
        assertEquals(4, count(lines, "server: echoed 38 bytes over TLSv1.3; the client closed with close_notify"), all);
        assertEquals(1, count(lines, "untrusting client: handshake refused, as it should be: "), all);
        assertEquals(1, count(lines, "server: a client's handshake failed: "), all);
        assertEquals("main: the server has stopped and its listener is closed", lines.get(lines.size() - 1), all);
    }
}
