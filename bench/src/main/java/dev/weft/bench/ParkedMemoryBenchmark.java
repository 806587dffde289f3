package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.ParkedTasks;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The heap a parked task holds, Weft beside virtual threads, in bytes per task: read the
 * {@code :firstRound} and {@code :secondRound} lines ({@link ParkedBytes}); the primary
 * score, milliseconds per invocation, is dominated by the full collections the measurement
 * makes and means little.
 *
 * <h2>What is measured</h2>
 * Not time and not allocation ({@code -prof gc} counts garbage too), but what stays
 * reachable: the live bytes of a class histogram ({@link HeapHistogram}, which collects
 * fully first) taken while {@value #TASKS} tasks are parked, minus those of one taken just
 * before they were started, divided by {@value #TASKS}. Each invocation measures twice in a
 * row ({@code firstRound}, then {@code secondRound}, when the scheduler's queues have
 * already grown to hold them all). With {@code -jvmArgsAppend -Dweft.bench.histogram=true}
 * each invocation also prints the second round class by class.
 * <ul>
 *   <li>{@code weft}: a run whose main task is the woven {@link ParkedTasks}: it starts
 *       {@value #TASKS} children that call {@code Weft.sleepForever()}, waits with
 *       {@code Lowlevel.waitAllTasksBlocked(0)} until they have all parked, measures from
 *       inside the run, then cancels them.
 *   <li>{@code virtualThread}: {@value #TASKS} virtual threads that park with
 *       {@code LockSupport.park()} (no timer, as {@code sleepForever} has none) until
 *       released ({@link ParkedThreads}); the benchmark thread waits until every one is in
 *       state {@code WAITING}, measures, then releases and joins them.
 * </ul>
 * Each operation is one invocation ({@link Mode#SingleShotTime}), so {@code -w} and
 * {@code -r} do not apply; {@code -wi} and {@code -i} count invocations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class ParkedMemoryBenchmark {
    /** Tasks parked at once. */
    static final int TASKS = 100_000;

    private AsyncCallable<?> parked;
    private Runner runner;
    private ParkedThreads threads;

    /** Weaves the subject, or checks that virtual threads run on one carrier. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        if (params.getBenchmark().endsWith(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            threads = new ParkedThreads(TASKS);
            return;
        }
        parked = Weaving.newWoven(Weaving.load(ParkedTasks.class), ParkedTasks.class, AsyncCallable.class, TASKS);
        runner = Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier(BenchmarkParams params) {
        if (!params.getBenchmark().endsWith(".virtualThread")) {
            String warning = Weaving.fastCarrierWarning();
            if (warning != null && !warning.contains("no thread owns")) {
                System.out.println(warning);
            }
        }
    }

    @Benchmark
    public HeapHistogram[] weft(ParkedBytes bytes) throws Exception {
        HeapHistogram[] h = (HeapHistogram[]) runner.run(parked);
        bytes.record(h, TASKS);
        return h;
    }

    @Benchmark
    public HeapHistogram[] virtualThread(ParkedBytes bytes) {
        HeapHistogram[] h = threads.measure();
        bytes.record(h, TASKS);
        return h;
    }
}
