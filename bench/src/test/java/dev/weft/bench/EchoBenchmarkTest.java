package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Checks, in well under a second, that both echo servers of {@link EchoBenchmark} start,
 * echo (the client checks every byte of every echo) and stop; the benchmark itself runs
 * only from {@code target/benchmarks.jar}.
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
}
