package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.SpawnJoin;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Spawning and joining many trivial tasks in one nursery, Weft beside virtual threads, in
 * nanoseconds per task.
 *
 * <h2>What is measured</h2>
 * One invocation is one whole run or parent thread; the score is divided by the number of
 * children.
 * <ul>
 *   <li>{@code weft}: a run ({@code Weft.runner().fifoOrder().spawnSites(false)
 *       .handleInterrupts(false)}) whose main task is the woven {@link SpawnJoin}: it opens
 *       a nursery, starts {@value #TASKS} children that do nothing, and waits for them. Per
 *       child: {@code startSoon} (the task record, its entry, a place in the run queue), one
 *       step that runs the empty body to its end, and the nursery's bookkeeping of the exit.
 *       The run itself (a few microseconds) adds a few picoseconds per child.
 *   <li>{@code weftSpawnSites}: the same with spawn sites recorded (the default), which
 *       captures a stack trace per child; {@value #TASKS_WITH_SITES} children, since each
 *       capture is kept until its task ends.
 *   <li>{@code virtualThread}: a parent virtual thread ({@link SpawnedThreads}) starts
 *       {@value #TASKS} virtual threads that do nothing, then joins each. One carrier, so
 *       everything runs on one core, as a Weft run does; needs JDK 21 or newer.
 *   <li>{@code weft1000}, {@code virtualThread1000}: the same with {@value #SMALL_TASKS}
 *       children per run or parent, whose records fit in the caches and die young. The run
 *       or the parent thread is then a larger share: a few nanoseconds per child.
 * </ul>
 * Both sides start every child before any runs, so with a million children both hold a
 * million records at once: each young collection during an invocation copies the live ones,
 * and the heap grows into memory the process has not touched before. Both costs are part of
 * the default figures; see the README for figures with a pre-touched heap large enough that
 * few collections happen.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class SpawnBenchmark {
    /** Children per invocation: the headline figure's million. */
    static final int TASKS = 1_000_000;
    /** Children per invocation when spawn sites are recorded. */
    static final int TASKS_WITH_SITES = 100_000;
    /** Children per invocation in the small variants. */
    static final int SMALL_TASKS = 1000;

    private AsyncCallable<?> spawnJoin;
    private AsyncCallable<?> spawnJoinWithSites;
    private AsyncCallable<?> spawnJoinSmall;
    private Runner runner;
    private Runner runnerWithSites;
    private SpawnedThreads threads;
    private SpawnedThreads threadsSmall;

    /** Weaves the subject, or checks that virtual threads run on one carrier. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        if (params.getBenchmark().contains(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            threads = new SpawnedThreads(TASKS);
            threadsSmall = new SpawnedThreads(SMALL_TASKS);
            return;
        }
        ClassLoader woven = Weaving.load(SpawnJoin.class);
        spawnJoin = Weaving.newWoven(woven, SpawnJoin.class, AsyncCallable.class, TASKS);
        spawnJoinWithSites = Weaving.newWoven(woven, SpawnJoin.class, AsyncCallable.class, TASKS_WITH_SITES);
        spawnJoinSmall = Weaving.newWoven(woven, SpawnJoin.class, AsyncCallable.class, SMALL_TASKS);
        runner = Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
        runnerWithSites = Weft.runner().fifoOrder().spawnSites(true).handleInterrupts(false);
        AsyncCallable<?> probe = Weaving.newWoven(woven, SpawnJoin.class, AsyncCallable.class, 10);
        Object spawned = runner.run(probe);
        if (!Integer.valueOf(10).equals(spawned)) {
            throw new IllegalStateException("the spawn subject returned " + spawned + ", expected 10");
        }
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier(BenchmarkParams params) {
        Weaving.warnIfSlowCarrier(params);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Object weft() throws Exception {
        return runner.run(spawnJoin);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS_WITH_SITES)
    public Object weftSpawnSites() throws Exception {
        return runnerWithSites.run(spawnJoinWithSites);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void virtualThread() {
        threads.spawnAndJoin();
    }

    @Benchmark
    @OperationsPerInvocation(SMALL_TASKS)
    public Object weft1000() throws Exception {
        return runner.run(spawnJoinSmall);
    }

    @Benchmark
    @OperationsPerInvocation(SMALL_TASKS)
    public void virtualThread1000() {
        threadsSmall.spawnAndJoin();
    }
}
