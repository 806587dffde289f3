package dev.weft.bench;

import dev.weft.annotation.Async;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@link WovenCallBenchmark} calls: a loop that makes one call down a chain of
 * {@code @Async} methods per input. Implemented by {@code dev.weft.bench.subject.CallChain},
 * in a plain and a woven copy.
 */
public interface ChainLoop {
    /**
     * Calls the chain once for each of {@code inputs}, handing each result to {@code sink}.
     * A suspension point: the woven implementation never suspends, but the weaver treats
     * every call to it as one.
     *
     * @param inputs the value passed down the chain, one call each
     * @param sink where each call's result goes, so the JIT cannot drop or fold the calls
     * @return the sum of the results
     */
    @Async
    int loop(int[] inputs, Blackhole sink);
}
