package dev.weft.bench;

import dev.weft.bench.subject.CallChain;
import dev.weft.internal.Continuation;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of weaving on the path where nothing suspends: one call down a chain of ten
 * {@code @Async} methods ({@link CallChain}), woven against the same class unwoven, in
 * nanoseconds per chain call.
 *
 * <h2>What is measured</h2>
 * Each invocation runs one {@link Continuation} whose entry calls the chain
 * {@value #CALLS} times, once per pseudo-random input, handing every result to a
 * {@link Blackhole} (so the JIT can neither drop the calls nor fold the loop into a closed
 * form); the score is divided by {@value #CALLS}, so the cost of making and running the
 * continuation (tens of nanoseconds) adds a few hundredths of a nanosecond per call. Inside
 * the continuation the woven chain takes the path a real task takes: the carrier's fast
 * slot, the handshake at each call, the test of {@code suspending} after it.
 * <ul>
 *   <li>{@code unwoven}: the plain {@link CallChain}, also run inside a continuation.
 *   <li>{@code woven}: the same class woven with {@code WeaveOptions.DEFAULT} at setup and
 *       defined by a child-first loader ({@link Weaving}); a separate class, with its own
 *       profile, called through the same monomorphic interface call.
 *   <li>{@code unwovenOutsideTask}, {@code wovenOutsideTask}: the same chains called with no
 *       continuation running, as library code woven for tasks is called from plain threads
 *       (the woven chain then finds the carrier's detached continuation).
 * </ul>
 * The target: {@code woven} at most 1.3 times {@code unwoven}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WovenCallBenchmark {
    /** Chain calls per invocation. */
    static final int CALLS = 1024;

    private int[] inputs;
    private ChainLoop plain;
    private ChainLoop woven;

    /** Weaves the chain and checks that both copies compute the same thing. */
    @Setup(Level.Trial)
    public void weave(Blackhole sink) {
        inputs = new SplittableRandom(42).ints(CALLS).toArray();
        plain = new CallChain();
        woven = Weaving.newWoven(Weaving.load(CallChain.class), CallChain.class, ChainLoop.class);
        Object expected = runInTask(plain, sink);
        Object actual = runInTask(woven, sink);
        if (!expected.equals(actual)) {
            throw new IllegalStateException("the woven chain computes " + actual + ", the plain one " + expected);
        }
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier() {
        String warning = Weaving.fastCarrierWarning();
        if (warning != null) {
            System.out.println(warning);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public Object unwoven(Blackhole sink) {
        return runInTask(plain, sink);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public Object woven(Blackhole sink) {
        return runInTask(woven, sink);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int unwovenOutsideTask(Blackhole sink) {
        return plain.loop(inputs, sink);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int wovenOutsideTask(Blackhole sink) {
        return woven.loop(inputs, sink);
    }

    private Object runInTask(ChainLoop chain, Blackhole sink) {
        int[] in = inputs;
        Continuation task = new Continuation(() -> chain.loop(in, sink));
        if (task.run() != Continuation.Status.DONE) {
            throw new IllegalStateException("the chain suspended: expected DONE, but was " + task.status());
        }
        return task.result();
    }
}
