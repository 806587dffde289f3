package dev.weft.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@link WeaveBenchmark} counts beside its operations: JMH divides {@link #classes}
 * by the measured time, so it is reported as classes per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class WeaveCounters {
    /** Class files handed to the weaver in this iteration. Written and read by the benchmark thread. */
    public long classes;

    /** Starts each iteration's count from zero. */
    @Setup(Level.Iteration)
    public void reset() {
        classes = 0;
    }
}
