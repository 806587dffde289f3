package dev.weft.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What {@link ParkedMemoryBenchmark} reports beside its time: live heap bytes per parked
 * task or thread. JMH prints each field as a secondary result
 * ({@code ParkedMemoryBenchmark.weft:secondRound}).
 *
 * <p>JMH adds up an {@link AuxCounters.Type#EVENTS} counter over the measured iterations
 * rather than averaging it, so during measurement each iteration records its figure divided
 * by the number of measured iterations: the result JMH prints is then the mean, while its
 * per-iteration lines show that share. Each iteration also prints its own figures on a
 * {@code [weft-bench]} line.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ParkedBytes {
    /**
     * Bytes per parked task when the run (or JVM) parks that many for the first time: what a
     * burst costs, including the growth of the scheduler's queues. Written by the benchmark
     * thread.
     */
    public double firstRound;
    /**
     * Bytes per parked task the second time, when the scheduler's queues are already that
     * large: what one more parked task costs. Written by the benchmark thread.
     */
    public double secondRound;

    /** What this iteration's figures are divided by: 1 in warm-up, else the measured iterations. */
    private int share = 1;

    /**
     * Starts each iteration from zero.
     *
     * @param benchmark the trial's settings
     * @param iteration this iteration's settings
     */
    @Setup(Level.Iteration)
    public void reset(BenchmarkParams benchmark, IterationParams iteration) {
        firstRound = 0;
        secondRound = 0;
        share = iteration.getType() == IterationType.MEASUREMENT ? Math.max(1, benchmark.getMeasurement().getCount())
                : 1;
    }

    /**
     * Records one measurement and prints it, and also class by class if the system property
     * {@code weft.bench.histogram} is set.
     *
     * @param h the histograms before and while parked, first round then second
     * @param tasks how many were parked
     */
    void record(HeapHistogram[] h, int tasks) {
        double first = (double) (h[1].totalBytes() - h[0].totalBytes()) / tasks;
        double second = (double) (h[3].totalBytes() - h[2].totalBytes()) / tasks;
        firstRound = first / share;
        secondRound = second / share;
        System.out.printf("[weft-bench] live heap per parked task: first round %.1f B, second round %.1f B%n",
                first, second);
        if (System.getProperty("weft.bench.histogram") != null) {
            System.out.print("[weft-bench] second round, class by class:\n" + h[3].perTaskTable(h[2], tasks));
        }
    }
}
