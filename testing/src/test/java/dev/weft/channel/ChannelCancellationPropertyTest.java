package dev.weft.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.sync.SeededRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cancellation in the middle of every {@code send} and {@code receive} loses no value and
 * delivers none twice. Random senders and receivers, each on its own copy of an end, make
 * every call inside a {@link CancelScope} with a random deadline on a mock clock; each value
 * is unique. After the run: every value whose {@code send} returned was received exactly once
 * or is still buffered, no value whose {@code send} was cancelled appears anywhere, nobody is
 * left waiting, the buffer never held more than its capacity, and the channel still carries a
 * value. Runs under {@value #SEEDS} seeds for each of capacities 0, 1, 3 and unbounded.
 */
class ChannelCancellationPropertyTest {

    private static final int SEEDS = 100;

    private static Duration timeout(Random r) {
        int k = r.nextInt(10);
        return k == 0 ? Duration.ZERO : k < 3 ? Duration.ofDays(1) : Duration.ofMillis(1 + r.nextInt(40));
    }

    private static Duration pause(Random r) {
        return Duration.ofMillis(r.nextInt(4) == 0 ? 0 : r.nextInt(15));
    }

    @Async
    private static void program(Random r, int capacity) {
        MemoryChannel<Integer> ch = MemoryChannel.open(capacity);
        MemorySendChannel<Integer> tx = ch.sender();
        MemoryReceiveChannel<Integer> rx = ch.receiver();
        Set<Integer> sent = new HashSet<>();
        Set<Integer> cancelledSends = new HashSet<>();
        List<Integer> received = new ArrayList<>();
        int[] nextValue = {0};
        Nursery.open(n -> {
            int senders = 1 + r.nextInt(4);
            for (int s = 0; s < senders; s++) {
                int count = r.nextInt(6);
                Duration[] timeouts = new Duration[count];
                Duration[] gaps = new Duration[count];
                for (int i = 0; i < count; i++) {
                    timeouts[i] = timeout(r);
                    gaps[i] = pause(r);
                }
                MemorySendChannel<Integer> mine = tx.copy();
                n.startSoon(() -> {
                    try (mine) {
                        for (int i = 0; i < count; i++) {
                            int v = nextValue[0]++;
                            CancelScope scope = CancelScope.moveOnAfter(timeouts[i]);
                            scope.run(() -> {
                                mine.send(v);
                                sent.add(v);
                            });
                            if (!sent.contains(v)) {
                                cancelledSends.add(v);
                            }
                            Weft.sleep(gaps[i]);
                        }
                    }
                });
            }
            int receivers = 1 + r.nextInt(4);
            for (int q = 0; q < receivers; q++) {
                int attempts = r.nextInt(8);
                Duration[] timeouts = new Duration[attempts];
                boolean[] orNull = new boolean[attempts];
                for (int i = 0; i < attempts; i++) {
                    timeouts[i] = timeout(r);
                    orNull[i] = r.nextBoolean();
                }
                MemoryReceiveChannel<Integer> mine = rx.copy();
                n.startSoon(() -> {
                    try (mine) {
                        for (int i = 0; i < attempts; i++) {
                            boolean useOrNull = orNull[i];
                            CancelScope.moveOnAfter(timeouts[i]).run(() -> {
                                Integer v = useOrNull ? mine.receiveOrNull() : mine.receive();
                                received.add(v);
                            });
                            assertTrue(ch.statistics().currentBufferUsed() <= capacity);
                        }
                    }
                });
            }
        });
        // Nobody waits; main's two ends are the only ones open.
        MemoryChannelStatistics stats = ch.statistics();
        assertEquals(0, stats.tasksWaitingSend());
        assertEquals(0, stats.tasksWaitingReceive());
        assertEquals(1, stats.openSendChannels());
        assertEquals(1, stats.openReceiveChannels());
        assertTrue(stats.peakBufferUsed() <= capacity, stats.toString());

        List<Integer> buffered = new ArrayList<>();
        for (Integer v; (v = rx.tryReceive()) != null; ) {
            buffered.add(v);
        }
        List<Integer> everywhere = new ArrayList<>(received);
        everywhere.addAll(buffered);
        assertEquals(everywhere.size(), new HashSet<>(everywhere).size(), "a value was delivered twice: " + everywhere);
        assertEquals(sent, new HashSet<>(everywhere), "sent vs received or buffered");
        for (Integer v : cancelledSends) {
            assertTrue(!everywhere.contains(v), "cancelled send of " + v + " was delivered");
        }

        // Still works: one value through, then the end.
        Nursery.open(n -> {
            n.startSoon(() -> assertEquals(-1, rx.receive()));
            tx.send(-1);
        });
        tx.close();
        assertNull(rx.receiveOrNull());
        rx.close();
        MemoryChannelStatistics last = ch.statistics();
        assertEquals(new MemoryChannelStatistics(0, capacity, 0, 0, 0, 0, last.peakBufferUsed()), last);
        assertTrue(last.peakBufferUsed() <= capacity, last.toString());
    }

    @Test
    void sendAndReceive_rendezvousCancelledAtRandomMoments_noValueLostOrDuplicated() {
        SeededRuns.forEachSeed("rendezvous channel", SEEDS, r -> program(r, 0));
    }

    @Test
    void sendAndReceive_capacityOneCancelledAtRandomMoments_noValueLostOrDuplicated() {
        SeededRuns.forEachSeed("channel of capacity 1", SEEDS, r -> program(r, 1));
    }

    @Test
    void sendAndReceive_capacityThreeCancelledAtRandomMoments_noValueLostOrDuplicated() {
        SeededRuns.forEachSeed("channel of capacity 3", SEEDS, r -> program(r, 3));
    }

    @Test
    void sendAndReceive_unboundedCancelledAtRandomMoments_noValueLostOrDuplicated() {
        SeededRuns.forEachSeed("unbounded channel", SEEDS, r -> program(r, Integer.MAX_VALUE));
    }
}
