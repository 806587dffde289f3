package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Checks that both TLS echo servers of {@link TlsEchoBenchmark} start in a child JVM, echo
 * over TLS 1.3 through the benchmark's client (which checks every byte of every echo) on
 * three connections, and stop, and that the child JVM does not outlive the trial. Each child
 * JVM takes about a second to start; the benchmark itself runs only from
 * {@code target/benchmarks.jar}.
 */
class TlsEchoBenchmarkTest {

    @Test
    void weftServer_inChildProcess_echoesOverTlsAndChildIsGoneAfterTearDown() throws Exception {
        echoesAndStops("weft");
    }

    @Test
    void virtualThreadServer_inChildProcess_echoesOverTlsAndChildIsGoneAfterTearDown() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        String maxPoolSize = System.getProperty("jdk.virtualThreadScheduler.maxPoolSize");
        System.setProperty("jdk.virtualThreadScheduler.parallelism", "1");
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", "1");
        try {
            echoesAndStops("virtualThread");
        } finally {
            restore("jdk.virtualThreadScheduler.parallelism", parallelism);
            restore("jdk.virtualThreadScheduler.maxPoolSize", maxPoolSize);
        }
    }

    private static void echoesAndStops(String kind) throws Exception {
        TlsEchoBenchmark bench = new TlsEchoBenchmark();
        bench.connections = 3;
        bench.start(kind);
        ProcessHandle child = bench.serverProcessHandle();
        try {
            assertTrue(child.isAlive());
            bench.client().recording = true;
            assertEquals(5, bench.client().roundTrips(5));
            assertEquals(TlsEchoBenchmark.BATCH, kind.equals("weft") ? bench.weft() : bench.virtualThread());
            assertTrue(bench.client().samples() >= 5);
            assertTrue(bench.client().percentile(0, 50) > 0);
            assertEquals(0, bench.client().idleSince(System.nanoTime() - 60_000_000_000L));
        } finally {
            bench.tearDown();
        }
        assertFalse(child.isAlive(), "the server's JVM " + child.pid() + " outlived the trial");
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
