package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.ThreadCalls;
import dev.weft.bench.subject.TokenServer;
import dev.weft.lowlevel.RunToken;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The threads bridge: a round trip of blocking work through {@code Weft.runInThread} beside
 * the same work handed to a virtual thread, and calls into a run from other threads through
 * its {@code RunToken}.
 *
 * <h2>Round trips (nanoseconds per call)</h2>
 * One invocation makes {@value #CALLS} calls, one after another; the score is per call.
 * <ul>
 *   <li>{@code weftRunInThread}: a run whose main task is the woven {@link ThreadCalls}: each
 *       call borrows a token of the run's default limiter, hands a callable that returns 1 to
 *       the run's worker thread, parks; the worker runs it and posts the outcome back; the
 *       run's thread wakes, releases the token and resumes the task. Two thread handoffs.
 *       One new run (and one new worker thread) per invocation.
 *   <li>{@code weftRunInThreadNoLimiter}: the same without the limiter.
 *   <li>{@code virtualThreadStartJoin}: the benchmark thread starts a virtual thread that runs
 *       the same callable and joins it, on one carrier. Also two handoffs (start, and the
 *       join's wake-up), plus a new thread per call.
 *   <li>{@code executorSubmitGet}: the plain-Java baseline, a single-thread
 *       {@code ExecutorService}'s {@code submit(callable).get()}.
 * </ul>
 *
 * <h2>Calls in (operations per microsecond, all threads together)</h2>
 * A run on a background thread whose main task ({@link TokenServer}) only waits; the JMH
 * threads call in through its token.
 * <ul>
 *   <li>{@code tokenRunSync}, {@code tokenRunSync4Threads}: {@code token.runSync(() -> 1)}
 *       from one and from four threads.
 *   <li>{@code tokenRunAsync}: {@code token.run(() -> 1)}, which spawns a system task per call.
 *   <li>{@code executorSubmitGet4Threads}: the same four threads calling into a single-thread
 *       {@code ExecutorService}: the plain-Java way to hand work to one thread.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class ThreadsBenchmark {
    /** Round trips per invocation. */
    static final int CALLS = 2000;

    private static final Callable<Integer> ONE = () -> 1;

    private AsyncCallable<?> limited;
    private AsyncCallable<?> unlimited;
    private Runner runner;
    private ExecutorService executor;

    /** Weaves the subject, checks virtual threads, or starts the executor. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        String name = params.getBenchmark();
        if (name.contains(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            return;
        }
        if (name.endsWith(".executorSubmitGet")) {
            executor = Executors.newSingleThreadExecutor();
            return;
        }
        if (name.substring(name.lastIndexOf('.') + 1).startsWith("weft")) {
            ClassLoader woven = Weaving.load(ThreadCalls.class);
            limited = Weaving.newWoven(woven, ThreadCalls.class, AsyncCallable.class, CALLS, true);
            unlimited = Weaving.newWoven(woven, ThreadCalls.class, AsyncCallable.class, CALLS, false);
            runner = Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
            Object sum = runner.run(Weaving.newWoven(woven, ThreadCalls.class, AsyncCallable.class, 10, true));
            if (!Long.valueOf(10).equals(sum)) {
                throw new IllegalStateException("ThreadCalls(10) returned " + sum + ", expected 10");
            }
        }
    }

    /** Stops the executor. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- round trips

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public Object weftRunInThread() throws Exception {
        return runner.run(limited);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public Object weftRunInThreadNoLimiter() throws Exception {
        return runner.run(unlimited);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long virtualThreadStartJoin() {
        long sum = 0;
        AtomicReference<Integer> box = new AtomicReference<>();
        Runnable task = () -> {
            try {
                box.set(ONE.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        for (int i = 0; i < CALLS; i++) {
            VirtualThreads.join(VirtualThreads.start(task));
            sum += box.get();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long executorSubmitGet() throws InterruptedException, ExecutionException {
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += executor.submit(ONE).get();
        }
        return sum;
    }

    // ---------------------------------------------------------------- calls in

    /** A run on a background thread that answers token calls, shared by every JMH thread. */
    @State(Scope.Benchmark)
    public static class TokenRun {
        RunToken token;
        ExecutorService executor;
        private CompletableFuture<Object> stop;
        private Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        /** Starts the run and waits for its token. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            executor = Executors.newSingleThreadExecutor();
            ClassLoader woven = Weaving.load(TokenServer.class);
            CompletableFuture<Object> published = new CompletableFuture<>();
            stop = new CompletableFuture<>();
            AsyncCallable<?> server = Weaving.newWoven(woven, TokenServer.class, AsyncCallable.class, published, stop);
            thread = new Thread(() -> {
                try {
                    Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false).run(server);
                } catch (Throwable t) {
                    failure.set(t);
                    published.completeExceptionally(t);
                }
            }, "weft-token-server");
            thread.start();
            token = (RunToken) published.get(10, TimeUnit.SECONDS);
        }

        /** Ends the run. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            stop.complete(null);
            thread.join(10_000);
            executor.shutdownNow();
            if (failure.get() != null) {
                throw new IllegalStateException("the token server's run failed", failure.get());
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object tokenRunSync(TokenRun run) throws Exception {
        return run.token.runSync(ONE);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(4)
    public Object tokenRunSync4Threads(TokenRun run) throws Exception {
        return run.token.runSync(ONE);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object tokenRunAsync(TokenRun run) throws Exception {
        return run.token.run(() -> 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(4)
    public Object executorSubmitGet4Threads(TokenRun run) throws Exception {
        return run.executor.submit(ONE).get();
    }
}
