package dev.weft.bench.subject;

import dev.weft.annotation.Async;
import dev.weft.bench.ChainLoop;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A chain of ten {@code @Async} calls that never suspends: {@link #loop} calls
 * {@code level1}, which calls {@code level2}, down to {@code level10}, a leaf that is
 * {@code @Async} but suspends nowhere. Each level does a little arithmetic on the value
 * passed down and keeps it live across its call, as real code keeps its locals.
 *
 * <p>{@link dev.weft.bench.WovenCallBenchmark} runs this class plain and woven; it must
 * stay free of lambdas and nested classes, which the benchmark would have to weave too.
 */
public final class CallChain implements ChainLoop {

    @Override
    @Async
    public int loop(int[] inputs, Blackhole sink) {
        int sum = 0;
        for (int x : inputs) {
            int r = level1(x);
            sink.consume(r);
            sum += r;
        }
        return sum;
    }

    @Async
    int level1(int x) {
        return level2(x + 1) ^ x;
    }

    @Async
    int level2(int x) {
        return level3(x + 2) ^ x;
    }

    @Async
    int level3(int x) {
        return level4(x + 3) ^ x;
    }

    @Async
    int level4(int x) {
        return level5(x + 4) ^ x;
    }

    @Async
    int level5(int x) {
        return level6(x + 5) ^ x;
    }

    @Async
    int level6(int x) {
        return level7(x + 6) ^ x;
    }

    @Async
    int level7(int x) {
        return level8(x + 7) ^ x;
    }

    @Async
    int level8(int x) {
        return level9(x + 8) ^ x;
    }

    @Async
    int level9(int x) {
        return level10(x + 9) ^ x;
    }

    /** The leaf: async, so woven with its prologue, but it makes no async call and never suspends. */
    @Async
    int level10(int x) {
        return x * 31;
    }
}
