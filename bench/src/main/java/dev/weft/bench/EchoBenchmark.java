package dev.weft.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
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
 * TCP echo on loopback: {@code connections} clients, each sending {@value EchoClient#SIZE}-byte
 * messages and waiting for each echo, against two servers driven by the same client.
 * <ul>
 *   <li>{@code weft}: {@code Net.serveTcp} (one task per connection) in a {@code Weft.run} on
 *       its own platform thread ({@link WeftEchoServer}), started once per trial.
 *   <li>{@code virtualThread}: a blocking {@code ServerSocket}, one virtual thread per
 *       connection, on one carrier ({@link VirtualThreadEchoServer}), started once per trial.
 * </ul>
 * The client ({@link EchoClient}) is one NIO selector on the JMH thread, the same code for
 * both servers. One op is one round trip; an invocation completes {@value #BATCH} round trips
 * over all connections, and the connections keep their messages in flight between
 * invocations. The score is round trips per second. The client also records the latency of
 * every measured round trip and prints p50 and p99 ({@code [echo]} lines) per measurement
 * iteration and for the whole trial; warm-up round trips are not recorded. Each iteration's
 * line also counts the connections that completed no round trip in it ({@code idle}) and
 * the age of the oldest message still in flight: a server that starves some connections
 * shows there, while its throughput counts only the others.
 *
 * <p>{@code serverProcess} says where the server runs: {@code same} (the default) in this
 * JVM, on its own thread; {@code child} in a child JVM ({@link ChildEchoServer}) with this
 * fork's java, class path and virtual-thread scheduler settings, started in the trial's
 * setup and stopped in its teardown. Each JVM then holds one end of each connection, so
 * {@code connections=10000} fits a 20,000-descriptor limit:
 * {@code -p connections=100,1000,10000 -p serverProcess=child}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class EchoBenchmark {
    /** Round trips per invocation. */
    static final int BATCH = 1000;

    /** Concurrent connections. */
    @Param({"100", "1000"})
    public int connections;

    /** Where the server runs: {@code same} (this JVM) or {@code child} (a child JVM). */
    @Param({"same"})
    public String serverProcess;

    private WeftEchoServer weftServer;
    private VirtualThreadEchoServer vtServer;
    private ChildEchoServer childServer;
    private EchoClient client;
    private String label;
    private int iterationStart;
    private long iterationStartNanos;

    /** Starts the benchmark's server and connects the client. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        String name = params.getBenchmark();
        start(name.substring(name.lastIndexOf('.') + 1));
    }

    /**
     * Starts the server for benchmark {@code label} ({@code weft} or {@code virtualThread})
     * where {@link #serverProcess} says, and connects the client.
     */
    void start(String label) throws Exception {
        this.label = label;
        boolean vt = label.equals("virtualThread");
        if (vt) {
            VirtualThreads.requireOneCarrier();
        }
        int port;
        if (serverProcess.equals("same")) {
            requireDescriptors(2L * connections);
            if (vt) {
                vtServer = new VirtualThreadEchoServer();
                port = vtServer.port();
            } else {
                weftServer = new WeftEchoServer();
                port = weftServer.port();
            }
        } else if (serverProcess.equals("child")) {
            requireDescriptors(connections);
            childServer = new ChildEchoServer(label, VirtualThreads.schedulerOptions());
            port = childServer.port();
        } else {
            throw new IllegalArgumentException("serverProcess must be same or child, was " + serverProcess);
        }
        try {
            client = new EchoClient(port, connections);
        } catch (Exception e) {
            stopServer();
            throw e;
        }
    }

    /**
     * Fails early, with the fix, if this JVM may not open {@code sockets} more descriptors
     * (plus 1,000 for the JVM's own files).
     */
    private void requireDescriptors(long sockets) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean) {
            long max = ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
            if (sockets + 1000 > max) {
                throw new IllegalStateException("connections=" + connections + " with serverProcess=" + serverProcess
                        + " needs " + sockets + " sockets in this JVM, but its file-descriptor limit is " + max
                        + ". Fix: -p serverProcess=child (the server's ends go to another JVM), or raise ulimit -n");
            }
        }
    }

    /** Records latencies only in measurement iterations; checks Weft's fast carrier slot. */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        client.recording = iteration.getType() == IterationType.MEASUREMENT;
        iterationStart = client.samples();
        iterationStartNanos = System.nanoTime();
        if (weftServer != null) {
            String warning = weftServer.fastCarrierWarning();
            if (warning != null) {
                System.out.println(warning);
            }
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

    /** Prints the trial's percentiles, then closes the client and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println(line("trial", 0));
        try {
            client.close();
        } finally {
            stopServer();
        }
    }

    private void stopServer() throws Exception {
        if (weftServer != null) {
            weftServer.close();
        }
        if (vtServer != null) {
            vtServer.close();
        }
        if (childServer != null) {
            childServer.close();
        }
    }

    /** @return the child JVM serving this trial, or null if the server runs in this JVM */
    ProcessHandle serverProcessHandle() {
        return childServer == null ? null : childServer.process();
    }

    private String line(String what, int from) {
        return String.format(Locale.ROOT, "[echo] %s connections=%d server=%s %s: %d round trips, p50=%.1f us, p99=%.1f us",
                label, connections, serverProcess, what, client.samples() - from, client.percentile(from, 50) / 1e3,
                client.percentile(from, 99) / 1e3);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long weft() throws Exception {
        return client.roundTrips(BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualThread() throws Exception {
        return client.roundTrips(BATCH);
    }
}
