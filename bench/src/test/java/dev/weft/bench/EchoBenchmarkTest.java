package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that both echo servers of {@link EchoBenchmark} start, echo (the client checks
 * every byte of every echo) and stop, in this JVM and in a child JVM, and that no child JVM
 * outlives its server. Each child JVM takes about a second to start; the benchmark itself
 * runs only from {@code target/benchmarks.jar}.
 */
class EchoBenchmarkTest {

    @Test
    void weftServer_echoesAndStops() throws Exception {
        try (WeftEchoServer server = new WeftEchoServer(); EchoClient client = new EchoClient(server.port(), 3)) {
            client.recording = true;
            assertTrue(client.roundTrips(1) >= 1);
            assertTrue(client.roundTrips(5) >= 5);
            assertTrue(client.samples() >= 6);
            assertTrue(client.percentile(50) > 0);
        }
    }

    @Test
    void virtualThreadServer_echoesAndStops() throws Exception {
        if (Runtime.version().feature() < 21) {
            return;
        }
        try (VirtualThreadEchoServer server = new VirtualThreadEchoServer();
                EchoClient client = new EchoClient(server.port(), 3)) {
            assertTrue(client.roundTrips(1) >= 1);
            assertTrue(client.roundTrips(5) >= 5);
        }
    }

    @Test
    void weftServer_inChildProcess_echoesAndChildIsGoneAfterTearDown() throws Exception {
        EchoBenchmark bench = new EchoBenchmark();
        bench.connections = 3;
        bench.serverProcess = "child";
        bench.start("weft");
        ProcessHandle child = bench.serverProcessHandle();
        assertNotNull(child);
        try {
            assertTrue(child.isAlive());
            assertTrue(bench.weft() >= EchoBenchmark.BATCH);
        } finally {
            bench.tearDown();
        }
        assertFalse(child.isAlive(), "the server's JVM " + child.pid() + " outlived the trial");
    }

    @Test
    void virtualThreadServer_inChildProcess_echoesAndChildIsGone() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        List<String> oneCarrier = Arrays.asList(VirtualThreads.ONE_CARRIER.split(" "));
        ProcessHandle child;
        try (ChildEchoServer server = new ChildEchoServer("virtualThread", oneCarrier);
                EchoClient client = new EchoClient(server.port(), 3)) {
            child = server.process();
            assertTrue(child.isAlive());
            assertTrue(client.roundTrips(1) >= 1);
            assertTrue(client.roundTrips(5) >= 5);
        }
        assertFalse(child.isAlive(), "the server's JVM " + child.pid() + " outlived its close()");
    }

    @Test
    void childServer_thatCannotStart_failsWithItsExitValue() {
        // Without the one-carrier flags (or before JDK 21) the child refuses to serve and exits with 1.
        IOException e = assertThrows(IOException.class, () -> new ChildEchoServer("virtualThread", List.of()));
        assertTrue(e.getMessage().contains("exited with 1 before it listened"), e.getMessage());
    }
}
