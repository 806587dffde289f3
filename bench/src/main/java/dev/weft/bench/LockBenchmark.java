package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.LockLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * An uncontended lock taken and released, in nanoseconds per round: Weft's {@code Lock}
 * beside a {@link ReentrantLock} in a virtual thread.
 *
 * <h2>What is measured</h2>
 * One invocation makes {@value #ROUNDS} rounds in one task (or thread); the score is per round.
 * <ul>
 *   <li>{@code weftTryAcquireRelease}: {@code tryAcquire()} then {@code release()}: the lock's
 *       own cost, with the owner registered and unregistered as the lock's breaker (the task
 *       exit hook) each round.
 *   <li>{@code weftAcquireRelease}: {@code acquire()} then {@code release()}. {@code acquire}
 *       is a checkpoint, so each round also passes a schedule point: the task suspends,
 *       goes through the run queue and resumes, though nothing else is runnable.
 *   <li>{@code virtualThreadReentrantLock}: {@code lock()} then {@code unlock()} of an
 *       uncontended {@code ReentrantLock} in one virtual thread (a CAS each way, no switch).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class LockBenchmark {
    /** Rounds per invocation. */
    static final int ROUNDS = 200_000;

    private Runner runner;
    private AsyncCallable<?> tryAcquire;
    private AsyncCallable<?> acquire;
    private final ReentrantLock reentrant = new ReentrantLock();

    /** Weaves the subject and checks it, or checks the carrier count. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        if (params.getBenchmark().contains(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            return;
        }
        ClassLoader woven = Weaving.load(LockLoop.class);
        runner = Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
        tryAcquire = Weaving.newWoven(woven, LockLoop.class, AsyncCallable.class, ROUNDS, false);
        acquire = Weaving.newWoven(woven, LockLoop.class, AsyncCallable.class, ROUNDS, true);
        for (AsyncCallable<?> subject : new AsyncCallable<?>[] {tryAcquire, acquire}) {
            Object held = runner.run(subject);
            if (!Integer.valueOf(ROUNDS).equals(held)) {
                throw new IllegalStateException("the lock subject held the lock " + held + " times, expected " + ROUNDS);
            }
        }
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier(BenchmarkParams params) {
        Weaving.warnIfSlowCarrier(params);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public Object weftTryAcquireRelease() throws Exception {
        return runner.run(tryAcquire);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public Object weftAcquireRelease() throws Exception {
        return runner.run(acquire);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int virtualThreadReentrantLock() {
        return QueueThreads.lockLoop(reentrant, ROUNDS);
    }
}
