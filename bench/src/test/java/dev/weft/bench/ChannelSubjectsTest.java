package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.ChannelTransfer;
import dev.weft.bench.subject.LockLoop;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Checks, in milliseconds, that the subjects of {@link ChannelBenchmark} and
 * {@link LockBenchmark} weave and move every value (or take the lock every round), and that
 * the queue twins do the same; the benchmarks themselves run only from
 * {@code target/benchmarks.jar}.
 */
class ChannelSubjectsTest {

    private static Runner benchRunner() {
        return Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
    }

    @Test
    void run_channelTransfer_everyCapacityAndModeDeliversEveryValueAndCanRunAgain() throws Exception {
        ClassLoader woven = Weaving.load(ChannelTransfer.class);
        for (int capacity : new int[] {0, 1, 100, Integer.MAX_VALUE}) {
            for (boolean tryFirst : new boolean[] {false, true}) {
                AsyncCallable<?> main = Weaving.newWoven(woven, ChannelTransfer.class, AsyncCallable.class, 5000,
                        capacity, tryFirst);
                for (int run = 0; run < 2; run++) {
                    assertEquals(ChannelTransfer.expectedSum(5000), benchRunner().run(main),
                            "capacity " + capacity + ", tryFirst " + tryFirst);
                }
            }
        }
    }

    @Test
    void run_lockLoop_holdsTheLockEveryRoundBothWays() throws Exception {
        ClassLoader woven = Weaving.load(LockLoop.class);
        for (boolean blocking : new boolean[] {false, true}) {
            AsyncCallable<?> main = Weaving.newWoven(woven, LockLoop.class, AsyncCallable.class, 1000, blocking);
            assertEquals(1000, benchRunner().run(main));
        }
    }

    @Test
    void queueThreads_onVirtualThreads_deliverEveryValue() {
        if (Runtime.version().feature() < 21) {
            return;
        }
        assertEquals(QueueThreads.expectedSum(5000), QueueThreads.synchronous(5000));
        assertEquals(QueueThreads.expectedSum(5000), QueueThreads.arrayBlocking(100, 5000));
        assertEquals(1000, QueueThreads.lockLoop(new ReentrantLock(), 1000));
    }
}
