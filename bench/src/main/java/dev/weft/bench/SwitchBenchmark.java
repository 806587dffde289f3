package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.bench.subject.SwitchChain;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One task switch at stack depth 1, 10 and 50, Weft beside virtual threads, in
 * nanoseconds per switch.
 *
 * <h2>What is measured</h2>
 * <ul>
 *   <li>{@code weft}: one {@link Continuation} over the woven {@link SwitchChain}, suspended
 *       at depth {@code depth}; one invocation is one {@link Continuation#run()}: the woven
 *       frames re-enter down to the leaf, {@link Continuation#suspend()} returns, the task
 *       carries on to its next suspension and the frames save themselves and return. No
 *       scheduler: the benchmark thread is the driver.
 *   <li>{@code virtualThread}: one virtual thread running {@link YieldChain}, the same shape,
 *       calling {@link Thread#yield()} where Weft suspends, {@value #YIELDS} times per
 *       invocation (the score is per yield). Each yield unmounts the thread (freezing its
 *       stack), hands it to the scheduler and mounts it again (thawing). The fork runs the
 *       scheduler on one carrier, so no yield is overlapped with another. Starting and
 *       joining the thread once per invocation (tens of microseconds against the
 *       milliseconds of 20,000 yields) adds at most about one percent. Needs JDK 21
 *       or newer; fails with a message saying so on older JDKs.
 * </ul>
 * {@code loopAt=entry} loops in the entry, so each switch descends afresh from the entry to
 * {@code depth}, as a task making a checkpoint in a deep call does; {@code loopAt=leaf}
 * loops at the leaf, so between switches the stack stays {@code depth} deep, which a virtual
 * thread thaws lazily, one frame at a time, and Weft rebuilds in full.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class SwitchBenchmark {
    /** Yields per virtual-thread invocation. */
    static final int YIELDS = 20_000;

    @Param({"1", "10", "50"})
    int depth;

    @Param({"entry", "leaf"})
    String loopAt;

    private Continuation task;
    private YieldChain yieldChain;

    /** Makes the task for this fork's benchmark. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        boolean atLeaf = switch (loopAt) {
            case "entry" -> false;
            case "leaf" -> true;
            default -> throw new IllegalArgumentException("loopAt must be entry or leaf, was " + loopAt);
        };
        if (params.getBenchmark().endsWith(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            yieldChain = new YieldChain(depth, atLeaf, YIELDS);
            return;
        }
        AsyncCallable<?> body = Weaving.newWoven(Weaving.load(SwitchChain.class), SwitchChain.class,
                AsyncCallable.class, depth, atLeaf);
        task = new Continuation(body);
        if (task.run() != Continuation.Status.SUSPENDED) {
            throw new IllegalStateException("the switch chain did not suspend: expected SUSPENDED, but was "
                    + task.status(), task.failure());
        }
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier(BenchmarkParams params) {
        if (params.getBenchmark().endsWith(".weft")) {
            String warning = Weaving.fastCarrierWarning();
            if (warning != null) {
                System.out.println(warning);
            }
        }
    }

    @Benchmark
    public Continuation.Status weft() {
        return task.run();
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public void virtualThread() throws InterruptedException {
        VirtualThreads.start(yieldChain).join();
    }
}
