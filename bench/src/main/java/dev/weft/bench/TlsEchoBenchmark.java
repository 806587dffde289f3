package dev.weft.bench;

import dev.weft.testing.IssuedCertificate;
import dev.weft.testing.TestCertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * TLS 1.3 echo on loopback: {@code connections} clients, each sending
 * {@value dev.weft.bench.subject.TlsEchoClient#SIZE}-byte messages and waiting for each echo,
 * against two servers, each in a child JVM ({@link ChildEchoServer}), driven by the same
 * client.
 * <ul>
 *   <li>{@code weft}: {@code Net.serveSslOverTcp} (one task per connection, which does the
 *       handshake) in a {@code Weft.run} on one thread ({@link WeftEchoServer} with the woven
 *       {@link dev.weft.bench.subject.TlsEchoServer}).
 *   <li>{@code virtualThread}: an {@code SSLServerSocket} from the same kind of
 *       {@code SSLContext}, one virtual thread per connection, on one carrier
 *       ({@link VirtualThreadEchoServer}).
 * </ul>
 * Each trial makes a new in-memory authority ({@code TestCertificateAuthority}) and a server
 * certificate for {@code localhost} and {@code 127.0.0.1}, hands the certificate and key to
 * the child as a PKCS#12 file in a temporary directory ({@link TlsKeyStore}), and deletes the
 * file once the child listens. Both servers allow only TLS 1.3.
 *
 * <p>The client ({@link WeftTlsClient}) is a woven {@code Weft.run} on its own thread in the
 * JMH fork, one task per connection, each doing TLS itself ({@code SslStream}) and trusting
 * only the trial's authority. It connects, handshakes and echoes once on every connection,
 * in batches, before the first iteration, so handshakes are not measured. Then the
 * connections echo in closed loops, freely, until the trial ends. One op is one round trip;
 * an invocation waits until the client has completed {@value #BATCH} more. The score is round
 * trips per second. The client also records the latency of every round trip in measurement
 * iterations and prints p50 and p99 ({@code [tls-echo]} lines) per iteration and per trial,
 * with each iteration's {@code idle} connections (no echo in the iteration) and the longest
 * time since a connection's last echo ({@code oldest}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1", "-Djdk.readPollers=1"})
public class TlsEchoBenchmark {
    /** Round trips per invocation. */
    static final int BATCH = 1000;

    /** Concurrent connections. */
    @Param({"100", "1000"})
    public int connections;

    private ChildEchoServer server;
    private WeftTlsClient client;
    private String label;
    private int iterationStart;
    private long iterationStartNanos;

    /** Starts the benchmark's server in a child JVM and connects the client. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        String name = params.getBenchmark();
        start(name.substring(name.lastIndexOf('.') + 1));
    }

    /**
     * Starts the server for benchmark {@code label} ({@code weft} or {@code virtualThread}) in
     * a child JVM with this fork's virtual-thread settings, and connects the client.
     */
    void start(String label) throws Exception {
        this.label = label;
        if (label.equals("virtualThread")) {
            VirtualThreads.requireOneCarrier();
        }
        TestCertificateAuthority ca = TestCertificateAuthority.create();
        IssuedCertificate certificate = ca.issueCertificate("localhost", "127.0.0.1");
        Path dir = Files.createTempDirectory("weft-tls-bench");
        Path keyStore = dir.resolve("server.p12");
        try {
            TlsKeyStore.write(certificate, keyStore);
            server = new ChildEchoServer(label, VirtualThreads.schedulerOptions(), keyStore);
        } finally {
            Files.deleteIfExists(keyStore);
            Files.delete(dir);
        }
        try {
            client = new WeftTlsClient(server.port(), connections, ca.clientContext());
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    /** Records latencies only in measurement iterations; checks Weft's fast carrier slot. */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        client.recording = iteration.getType() == IterationType.MEASUREMENT;
        iterationStart = client.samples();
        iterationStartNanos = System.nanoTime();
        client.resetGoal();
        String warning = WeftEchoServer.fastCarrierWarning(client.thread(), "the TLS client's thread");
        if (warning != null) {
            System.out.println(warning);
        }
    }

    /** Prints the iteration's latency percentiles. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        if (client.recording) {
            System.out.println(line("iteration", iterationStart) + String.format(Locale.ROOT,
                    ", idle=%d (connections with no round trip in the iteration), oldest in flight=%.0f ms",
                    client.idleSince(iterationStartNanos), client.oldestInFlight() / 1e6));
        }
    }

    /** Prints the trial's percentiles, then stops the client and the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println(line("trial", 0));
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    /** @return the child JVM serving this trial */
    ProcessHandle serverProcessHandle() {
        return server.process();
    }

    /** @return the trial's client */
    WeftTlsClient client() {
        return client;
    }

    private String line(String what, int from) {
        return String.format(Locale.ROOT, "[tls-echo] %s connections=%d %s: %d round trips, p50=%.1f us, p99=%.1f us",
                label, connections, what, client.samples() - from, client.percentile(from, 50) / 1e3,
                client.percentile(from, 99) / 1e3);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long weft() {
        return client.roundTrips(BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualThread() {
        return client.roundTrips(BATCH);
    }
}
