package dev.weft.channel;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.BrokenResourceException;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Channels#produce}: a producer task in a nursery, whose send end closes when it ends.
 * After python-trio/trio {@code src/trio/_tests/test_channel.py} ({@code test_as_safe_channel_*}).
 */
class ChannelsTest {

    @WeftTest
    @Async
    void produce_producerReturns_consumerGetsEveryValueThenTheEnd() {
        List<Integer> got = new ArrayList<>();
        Nursery.open(n -> {
            try (MemoryReceiveChannel<Integer> rx = Channels.produce(n, 0, out -> {
                for (int i = 0; i < 5; i++) {
                    out.send(i);
                }
            })) {
                for (Integer v; (v = rx.receiveOrNull()) != null; ) {
                    got.add(v);
                }
            }
        });
        assertEquals(List.of(0, 1, 2, 3, 4), got);
    }

    @WeftTest
    @Async
    void produce_rendezvous_producerWorksOneValueAhead() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            MemoryReceiveChannel<Integer> rx = Channels.produce(n, 0, out -> {
                for (int i = 0; i < 3; i++) {
                    record.add("made " + i);
                    out.send(i);
                }
            });
            for (Integer v; (v = rx.receiveOrNull()) != null; ) {
                record.add("used " + v);
                Weft.checkpoint();
            }
        });
        for (int i = 0; i < 3; i++) {
            int made = record.indexOf("made " + i);
            int used = record.indexOf("used " + i);
            assertTrue(made < used, record.toString());
            if (i + 2 < 3) {
                assertTrue(record.indexOf("made " + (i + 2)) > used, "more than one value ahead: " + record);
            }
        }
    }

    @WeftTest
    @Async
    void produce_consumerClosesEarly_producerEndsQuietlyAtItsNextSend() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            MemoryReceiveChannel<Integer> rx = Channels.produce(n, 0, out -> {
                try {
                    for (int i = 0; ; i++) {
                        out.send(i);
                    }
                } catch (BrokenResourceException e) {
                    record.add("producer saw the consumer leave");
                    throw e;
                }
            });
            assertEquals(0, rx.receive());
            rx.close();
            assertThrows(dev.weft.ClosedResourceException.class, rx::receive);
        });
        assertEquals(List.of("producer saw the consumer leave"), record);
    }

    @WeftTest
    @Async
    void produce_producerFails_consumerSeesTheEndAndTheNurseryTheFailure() {
        List<Integer> got = new ArrayList<>();
        IOException boom = new IOException("oae");
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            MemoryReceiveChannel<Integer> rx = Channels.produce(n, 0, out -> {
                out.send(1);
                throw boom;
            });
            for (Integer v; (v = rx.receiveOrNull()) != null; ) {
                got.add(v);
            }
        }));
        assertEquals(List.of(1), got);
        assertSame(boom, g.failures().get(0));
    }

    @WeftTest
    @Async
    void produce_producerThrowsItsOwnBrokenResource_isNotSwallowed() {
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            MemoryReceiveChannel<Integer> rx = Channels.produce(n, 0, out -> {
                throw new BrokenResourceException("a lock of the producer's broke");
            });
            rx.receiveOrNull();
        }));
        assertInstanceOf(BrokenResourceException.class, g.failures().get(0));
    }

    @WeftTest
    @Async
    void produce_withName_theProducerTaskHasIt() {
        List<String> names = new ArrayList<>();
        Nursery.open(n -> {
            MemoryReceiveChannel<String> rx = Channels.produce(n, "numbers", 1,
                    out -> out.send(Lowlevel.currentTask().name()));
            names.add(rx.receive());
        });
        assertEquals(List.of("numbers"), names);
    }

    @WeftTest
    @Async
    void produce_closedNursery_throwsIllegalState() {
        List<Nursery> kept = new ArrayList<>();
        Nursery.open(kept::add);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Channels.produce(kept.get(0), 0, out -> out.send("x")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Channels.produce(kept.get(0), -1, out -> out.send("x")));
    }
}
