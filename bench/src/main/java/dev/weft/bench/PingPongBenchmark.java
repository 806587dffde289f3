package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.PingPong;
import dev.weft.bench.subject.PingPongFrames;
import dev.weft.internal.Continuation;
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
 * Two tasks handing the thread to each other through the scheduler, Weft beside virtual
 * threads, in nanoseconds per switch.
 *
 * <h2>What is measured</h2>
 * One invocation makes {@value #SWITCHES} switches; the score is per switch. Unlike
 * {@link SwitchBenchmark}, which drives one continuation by hand, every switch here goes
 * through the scheduler: the run queue, the batch, the state changes and, for virtual
 * threads, the {@code ForkJoinPool}.
 * <ul>
 *   <li>{@code weftCheckpoint}: a run whose main task is the woven {@link PingPong}: two
 *       children call {@code Weft.checkpoint()} in a loop. Each checkpoint puts the task at
 *       the back of the run queue and ends its step, and the scheduler runs the other.
 *       Three woven frames per task (the entry, the lambda, {@code checkpoint}).
 *   <li>{@code virtualThreadYield}: two virtual threads calling {@code Thread.yield()} in a
 *       loop, on one carrier ({@link PingPongThreads#yields()}): the counterpart of a
 *       checkpoint, a schedule point that hands over no data.
 *   <li>{@code weftPark}: the two children take turns by {@code Lowlevel.reschedule} of the
 *       other and {@code Lowlevel.park} of themselves: the path of every blocking primitive.
 *   <li>{@code virtualThreadPark}: the two threads take turns through a {@code volatile}
 *       turn number with {@code LockSupport.unpark} and {@code LockSupport.park}
 *       ({@link PingPongThreads#parks()}), the path of {@code java.util.concurrent}'s locks.
 *   <li>{@code continuationsOnly}: not a scheduler at all, but the part of
 *       {@code weftCheckpoint} that is not the scheduler: the benchmark thread runs two
 *       {@link PingPongFrames} continuations alternately, each step rebuilding and unwinding
 *       the same three woven frames as a checkpoint player's. {@code weftCheckpoint} minus
 *       this is what the run loop, the run queue and {@code checkpoint}'s bookkeeping cost.
 * </ul>
 * The runs use {@code fifoOrder()}, {@code spawnSites(false)} and
 * {@code handleInterrupts(false)}; a run's setup and the two spawns (a few microseconds)
 * add a few hundredths of a nanosecond per switch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class PingPongBenchmark {
    /** Switches per invocation, both tasks together. */
    static final int SWITCHES = 200_000;

    private AsyncCallable<?> checkpoints;
    private AsyncCallable<?> parks;
    private Runner runner;
    private PingPongThreads threads;
    private Continuation first;
    private Continuation second;

    /** Weaves the subject, or checks that virtual threads run on one carrier. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        if (params.getBenchmark().contains(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            threads = new PingPongThreads(SWITCHES);
            return;
        }
        if (params.getBenchmark().endsWith(".continuationsOnly")) {
            ClassLoader woven = Weaving.load(PingPongFrames.class);
            first = new Continuation(Weaving.newWoven(woven, PingPongFrames.class, AsyncCallable.class,
                    Integer.MAX_VALUE));
            second = new Continuation(Weaving.newWoven(woven, PingPongFrames.class, AsyncCallable.class,
                    Integer.MAX_VALUE));
            return;
        }
        ClassLoader woven = Weaving.load(PingPong.class);
        checkpoints = Weaving.newWoven(woven, PingPong.class, AsyncCallable.class, SWITCHES, false);
        parks = Weaving.newWoven(woven, PingPong.class, AsyncCallable.class, SWITCHES, true);
        runner = Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
        for (boolean viaPark : new boolean[] {false, true}) {
            AsyncCallable<?> probe = Weaving.newWoven(woven, PingPong.class, AsyncCallable.class, 10, viaPark);
            Object made = runner.run(probe);
            if (!Integer.valueOf(10).equals(made)) {
                throw new IllegalStateException("the ping-pong subject (viaPark=" + viaPark + ") made " + made
                        + " switches, expected 10");
            }
        }
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier(BenchmarkParams params) {
        Weaving.warnIfSlowCarrier(params);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public Object weftCheckpoint() throws Exception {
        return runner.run(checkpoints);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public Object weftPark() throws Exception {
        return runner.run(parks);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void virtualThreadYield() {
        threads.yields();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void virtualThreadPark() {
        threads.parks();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public Continuation.Status continuationsOnly() {
        Continuation a = first;
        Continuation b = second;
        Continuation.Status s = null;
        for (int i = 0; i < SWITCHES / 2; i++) {
            a.run();
            s = b.run();
        }
        return s;
    }
}
