package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.ChannelTransfer;
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
 * Messages per second between two tasks over a memory channel, beside two virtual threads
 * over the matching {@code java.util.concurrent} queue, on one carrier.
 *
 * <h2>What is measured</h2>
 * One invocation moves {@value #MESSAGES} values from a producer to a consumer; the score is
 * values per second ({@code @OperationsPerInvocation}). Every Weft invocation is a whole run
 * ({@code fifoOrder}, no spawn sites, no interrupt handler): three task spawns and a few
 * microseconds of set-up, a few thousandths of the time at this size.
 * <ul>
 *   <li>{@code weftRendezvous}: {@code MemoryChannel.open(0)}, {@code send} and
 *       {@code receiveOrNull}. Every value is handed from the producer straight to a
 *       consumer parked in {@code receive}: per value, the producer passes a schedule point
 *       and the consumer parks once.
 *   <li>{@code virtualThreadSynchronousQueue}: a {@code SynchronousQueue}, {@code put} and
 *       {@code take}.
 *   <li>{@code weftBuffered}: {@code MemoryChannel.open(100)}, {@code send} and
 *       {@code receiveOrNull}: both are checkpoints, so each value costs each task a
 *       schedule point even though the buffer rarely fills or empties.
 *   <li>{@code weftBufferedTryFirst}: the same channel, {@code trySend}/{@code tryReceive}
 *       first and the blocking call only when full or empty: tasks switch only when they
 *       must, as threads on a {@code BlockingQueue} do.
 *   <li>{@code virtualThreadArrayBlockingQueue}: an {@code ArrayBlockingQueue(100)},
 *       {@code put} and {@code take}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
public class ChannelBenchmark {
    /** Values per invocation. */
    static final int MESSAGES = 200_000;
    /** The buffered channel's and queue's capacity. */
    static final int CAPACITY = 100;

    private Runner runner;
    private AsyncCallable<?> rendezvous;
    private AsyncCallable<?> buffered;
    private AsyncCallable<?> bufferedTryFirst;

    /** Weaves the subject and checks that it moves every value, or checks the carrier count. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        if (params.getBenchmark().contains(".virtualThread")) {
            VirtualThreads.requireOneCarrier();
            long sum = QueueThreads.synchronous(1000) + QueueThreads.arrayBlocking(CAPACITY, 1000);
            if (sum != 2 * QueueThreads.expectedSum(1000)) {
                throw new IllegalStateException("the queue twins lost values: sum " + sum);
            }
            return;
        }
        ClassLoader woven = Weaving.load(ChannelTransfer.class);
        runner = Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
        rendezvous = Weaving.newWoven(woven, ChannelTransfer.class, AsyncCallable.class, MESSAGES, 0, false);
        buffered = Weaving.newWoven(woven, ChannelTransfer.class, AsyncCallable.class, MESSAGES, CAPACITY, false);
        bufferedTryFirst = Weaving.newWoven(woven, ChannelTransfer.class, AsyncCallable.class, MESSAGES, CAPACITY,
                true);
        for (AsyncCallable<?> subject : new AsyncCallable<?>[] {rendezvous, buffered, bufferedTryFirst}) {
            Object sum = runner.run(subject);
            if (!Long.valueOf(ChannelTransfer.expectedSum(MESSAGES)).equals(sum)) {
                throw new IllegalStateException("the channel subject received sum " + sum + ", expected "
                        + ChannelTransfer.expectedSum(MESSAGES));
            }
        }
    }

    /** Warns if this thread would take the slow path to its continuation. */
    @Setup(Level.Iteration)
    public void checkCarrier(BenchmarkParams params) {
        Weaving.warnIfSlowCarrier(params);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Object weftRendezvous() throws Exception {
        return runner.run(rendezvous);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long virtualThreadSynchronousQueue() {
        return QueueThreads.synchronous(MESSAGES);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Object weftBuffered() throws Exception {
        return runner.run(buffered);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Object weftBufferedTryFirst() throws Exception {
        return runner.run(bufferedTryFirst);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long virtualThreadArrayBlockingQueue() {
        return QueueThreads.arrayBlocking(CAPACITY, MESSAGES);
    }
}
