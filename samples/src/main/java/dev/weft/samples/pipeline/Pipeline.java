package dev.weft.samples.pipeline;

import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.channel.Channels;
import dev.weft.channel.MemoryChannel;
import dev.weft.channel.MemoryReceiveChannel;
import dev.weft.channel.MemorySendChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A producer/consumer pipeline over memory channels, with fan-out and fan-in:
 * <pre>
 *                      +--> worker-1 --+
 *   producer --jobs--> +--> worker-2 --+ --results--> collector
 *                      +--> worker-3 --+
 * </pre>
 * The producer is a {@link Channels#produce} task that sends job numbers into a rendezvous
 * channel. Each worker receives through its own {@linkplain MemoryReceiveChannel#copy() copy}
 * of the jobs' receive end (fan-out: each job goes to exactly one worker, whichever is free)
 * and sends its result through its own copy of the results' send end (fan-in). Every task
 * closes its ends when done, so the end of the stream flows down the pipeline by itself: the
 * producer's end closes when it returns, the workers see the end of the jobs and close their
 * result ends, and the collector sees the end of the results once the last worker has
 * closed. Nobody counts jobs or sends a "poison pill".
 *
 * <p>The run uses FIFO order so the output reads the same every time.
 */
public final class Pipeline {
    /** Jobs the producer makes: 1 to {@value}. */
    static final int JOBS = 12;
    /** Workers in the middle stage. */
    static final int WORKERS = 3;

    private final PrintStream out;

    public Pipeline(PrintStream out) {
        this.out = out;
    }

    /** One worker's answer to one job. */
    private record Squared(String worker, int job, long square) {
    }

    @Async
    void main() {
        Nursery.open(n -> {
            MemoryReceiveChannel<Integer> jobs = Channels.produce(n, "producer", 0, tx -> {
                for (int job = 1; job <= JOBS; job++) {
                    tx.send(job);
                }
                out.printf("%4.1fs producer: sent %d jobs; its end closes as it returns%n", Weft.currentTime(), JOBS);
            });
            MemoryChannel<Squared> results = MemoryChannel.open(0);
            try (jobs; MemorySendChannel<Squared> resultTx = results.sender()) {
                for (int w = 1; w <= WORKERS; w++) {
                    String name = "worker-" + w;
                    MemoryReceiveChannel<Integer> myJobs = jobs.copy();
                    MemorySendChannel<Squared> myResults = resultTx.copy();
                    n.startSoon(name, () -> work(name, myJobs, myResults));
                }
            }
            // The originals are closed: from here on, only the workers' copies keep the ends open.
            n.startSoon("collector", () -> collect(results.receiver()));
        });
        out.printf("%4.1fs main: the nursery is closed, every stage has ended%n", Weft.currentTime());
    }

    /** Squares jobs until the jobs channel ends; bigger jobs take longer. */
    @Async
    void work(String name, MemoryReceiveChannel<Integer> jobs, MemorySendChannel<Squared> results) {
        try (jobs; results) {
            for (Integer job; (job = jobs.receiveOrNull()) != null; ) {
                Weft.sleep(Duration.ofMillis(100L * (1 + job % 3)));
                results.send(new Squared(name, job, (long) job * job));
            }
        }
        out.printf("%4.1fs %s: no more jobs, closed its ends%n", Weft.currentTime(), name);
    }

    @Async
    void collect(MemoryReceiveChannel<Squared> results) {
        Map<String, Integer> perWorker = new TreeMap<>();
        long sum = 0;
        int count = 0;
        try (results) {
            for (Squared r; (r = results.receiveOrNull()) != null; ) {
                out.printf("%4.1fs collector: %s squared %d = %d%n", Weft.currentTime(), r.worker(), r.job(), r.square());
                perWorker.merge(r.worker(), 1, Integer::sum);
                sum += r.square();
                count++;
            }
        }
        long expected = (long) JOBS * (JOBS + 1) * (2 * JOBS + 1) / 6;
        out.printf("%4.1fs collector: %d results, sum of squares %d (expected %d); jobs per worker %s%n",
                Weft.currentTime(), count, sum, expected, perWorker);
    }

    /**
     * Runs the sample.
     *
     * @param runner the runner to use (tests give one with a mock clock)
     * @throws Exception if the run fails
     */
    public void run(Runner runner) throws Exception {
        runner.fifoOrder().run(this::main);
    }
}
