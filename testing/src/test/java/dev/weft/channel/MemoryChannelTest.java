package dev.weft.channel;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Memory channels: buffering, hand-off, checkpoints, copies and closing, statistics, fairness.
 * Ported from python-trio/trio {@code src/trio/_tests/test_channel.py}.
 */
class MemoryChannelTest {

    @Test
    void open_negativeCapacity_throwsIllegalArgument() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MemoryChannel.open(-1));
        assertEquals("capacity must be >= 0, was -1", e.getMessage());
    }

    @Test
    void constructor_endsOfDifferentChannels_throwsIllegalArgument() {
        MemoryChannel<String> a = MemoryChannel.open(0);
        MemoryChannel<String> b = MemoryChannel.open(0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MemoryChannel<>(a.sender(), b.receiver()));
        assertEquals(a, new MemoryChannel<>(a.sender(), a.receiver()));
    }

    @WeftTest
    @Async
    void sendAndReceive_bufferOfTwo_eachStepAndThenTheCloseSequence() {
        MemoryChannel<String> ch = MemoryChannel.open(2);
        MemorySendChannel<String> s = ch.sender();
        MemoryReceiveChannel<String> r = ch.receiver();

        assertTrue(s.trySend("1"));
        Testing.assertCheckpoints(() -> s.send("2"));
        assertFalse(s.trySend("3"), "the buffer is full");

        List<String> got = new ArrayList<>();
        Testing.assertCheckpoints(() -> got.add(r.receive()));
        assertEquals(List.of("1"), got);
        assertEquals("2", r.tryReceive());
        assertNull(r.tryReceive(), "nothing ready");

        assertTrue(s.trySend("last"));
        s.close();
        assertTrue(s.isClosed());
        String closedSend = "MemorySendChannel: send on a send end that was closed; copy() an end before closing it "
                + "to keep sending";
        assertEquals(closedSend, assertThrows(ClosedResourceException.class, () -> s.send("too late")).getMessage());
        assertEquals(closedSend, org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class,
                () -> s.trySend("too late")).getMessage());
        assertEquals("MemorySendChannel: copy of a send end that was closed; copy() an end before closing it to keep "
                + "sending", org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class,
                s::copy).getMessage());
        s.close();

        assertEquals("last", r.tryReceive());
        EndOfChannelException end = assertThrows(EndOfChannelException.class, r::receive);
        assertEquals("MemoryReceiveChannel.receive: end of channel: every send end is closed and every value was "
                + "received", end.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(EndOfChannelException.class, r::tryReceive);
        assertNull(r.receiveOrNull());
        r.close();
        assertThrows(ClosedResourceException.class, r::receive);
        assertThrows(ClosedResourceException.class, r::receiveOrNull);
        org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class, r::tryReceive);
        org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class, r::copy);
        r.close();
    }

    @WeftTest
    @Async
    void trySend_null_throwsNullPointer() {
        MemoryChannel<String> ch = MemoryChannel.open(1);
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> ch.sender().trySend(null));
        assertThrows(NullPointerException.class, () -> ch.sender().send(null));
        assertEquals(0, ch.statistics().currentBufferUsed());
    }

    @WeftTest
    @Async
    void receive_timedOut_leavesTheChannelUsable(MockClock clock) {
        clock.autojumpThreshold(0);
        MemoryChannel<String> ch = MemoryChannel.open(1);
        CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(10));
        scope.run(ch.receiver()::receive);
        assertTrue(scope.cancelledCaught());
        assertEquals(0, ch.statistics().tasksWaitingReceive());
        ch.sender().send("Test for PR #553");
        assertEquals("Test for PR #553", ch.receiver().tryReceive());
    }

    @WeftTest
    @Async
    void receiveOrNull_tenProducersOnCopies_getsEveryValueThenNull() {
        MemoryChannel<Integer> ch = MemoryChannel.open(0);
        List<Integer> got = new ArrayList<>();
        Nursery.open(n -> {
            try (MemorySendChannel<Integer> tx = ch.sender()) {
                for (int i = 0; i < 10; i++) {
                    int id = i;
                    MemorySendChannel<Integer> mine = tx.copy();
                    n.startSoon(() -> {
                        try (mine) {
                            for (int j = 3 * id; j < 3 * (id + 1); j++) {
                                mine.send(j);
                            }
                        }
                    });
                }
            }
            MemoryReceiveChannel<Integer> rx = ch.receiver();
            for (Integer v; (v = rx.receiveOrNull()) != null; ) {
                got.add(v);
            }
        });
        got.sort(null);
        assertEquals(IntStream.range(0, 30).boxed().toList(), got);
    }

    @WeftTest
    @Async
    void receive_fiveConsumersOnOneEnd_eachValueGoesToExactlyOne() {
        Set<Integer> receivers = new HashSet<>();
        List<Integer> received = new ArrayList<>();
        Nursery.open(n -> {
            MemoryChannel<Integer> ch = MemoryChannel.open(1);
            try (MemorySendChannel<Integer> tx = ch.sender()) {
                for (int i = 0; i < 5; i++) {
                    int id = i;
                    n.startSoon(() -> {
                        for (Integer v; (v = ch.receiver().receiveOrNull()) != null; ) {
                            receivers.add(id);
                            received.add(v);
                        }
                    });
                }
                Testing.waitAllTasksBlocked();
                for (int i = 0; i < 10; i++) {
                    tx.send(i);
                }
            }
        });
        assertEquals(Set.of(0, 1, 2, 3, 4), receivers);
        assertEquals(10, received.size());
        assertEquals(IntStream.range(0, 10).boxed().collect(java.util.stream.Collectors.toSet()), Set.copyOf(received));
    }

    // ---------------------------------------------------------------- closing

    @WeftTest
    @Async
    void close_sendEndWithABlockedSender_senderGetsClosedThenReceiversSeeTheEnd() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        MemorySendChannel<String> s = ch.sender();
        MemoryReceiveChannel<String> r = ch.receiver();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("sender", () -> {
                ClosedResourceException e = assertThrows(ClosedResourceException.class, () -> s.send("x"));
                record.add(e.getMessage());
            });
            Testing.waitAllTasksBlocked();
            assertEquals(1, ch.statistics().tasksWaitingSend());
            s.close();
            assertEquals(0, ch.statistics().tasksWaitingSend());
        });
        assertEquals(List.of("MemorySendChannel.send: the send end that task 'sender' was sending through was closed "
                + "while it waited"), record);
        // And it stays closed.
        org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class, () -> s.trySend("x"));
        assertThrows(ClosedResourceException.class, () -> s.send("x"));
        // The receivers see the end.
        org.junit.jupiter.api.Assertions.assertThrows(EndOfChannelException.class, r::tryReceive);
        assertThrows(EndOfChannelException.class, r::receive);
    }

    @WeftTest
    @Async
    void close_receiveEndWithABlockedSender_senderGetsBrokenForGood() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        MemorySendChannel<String> s = ch.sender();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("sender", () -> record.add(assertThrows(BrokenResourceException.class,
                    () -> s.send("x")).getMessage()));
            Testing.waitAllTasksBlocked();
            ch.receiver().close();
        });
        assertEquals(List.of("MemorySendChannel.send: every receive end of the channel was closed while task 'sender' "
                + "waited to send"), record);
        String broken = "MemorySendChannel.send: every receive end of the channel is closed, so nobody will ever "
                + "receive the value";
        assertEquals(broken, org.junit.jupiter.api.Assertions.assertThrows(BrokenResourceException.class,
                () -> s.trySend("x")).getMessage());
        assertEquals(broken, assertThrows(BrokenResourceException.class, () -> s.send("x")).getMessage());
        // Copying a send end is still allowed; the copy is just as broken.
        MemorySendChannel<String> copy = s.copy();
        org.junit.jupiter.api.Assertions.assertThrows(BrokenResourceException.class, () -> copy.trySend("x"));
    }

    @WeftTest
    @Async
    void close_receiveEndWithABlockedReceiver_receiverGetsClosedForGood() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        MemoryReceiveChannel<String> r = ch.receiver();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("receiver", () -> record.add(assertThrows(ClosedResourceException.class, r::receive)
                    .getMessage()));
            Testing.waitAllTasksBlocked();
            r.close();
        });
        assertEquals(List.of("MemoryReceiveChannel.receive: the receive end that task 'receiver' was receiving through "
                + "was closed while it waited"), record);
        org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class, r::tryReceive);
        assertThrows(ClosedResourceException.class, r::receive);
    }

    @WeftTest
    @Async
    void copy_receiveEnds_channelBreaksOnlyWhenTheLastCloses() {
        MemoryChannel<String> ch = MemoryChannel.open(10);
        MemorySendChannel<String> s = ch.sender();
        MemoryReceiveChannel<String> r = ch.receiver();
        MemoryReceiveChannel<String> r2 = r.copy();
        MemoryReceiveChannel<String> r3 = r.copy();
        assertEquals(3, ch.statistics().openReceiveChannels());

        assertTrue(s.trySend("a"));
        r.close();
        try (r2) {
            assertEquals(1, ch.statistics().currentBufferUsed());
        }
        org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class, r::copy);
        org.junit.jupiter.api.Assertions.assertThrows(ClosedResourceException.class, r2::copy);
        // r3 is still open, so sending works.
        assertTrue(s.trySend("b"));
        assertEquals(2, ch.statistics().currentBufferUsed());
        r3.close();
        // Now every receive end is closed: the buffer is dropped and sending is broken.
        assertEquals(0, ch.statistics().currentBufferUsed());
        org.junit.jupiter.api.Assertions.assertThrows(BrokenResourceException.class, () -> s.trySend("c"));
    }

    @WeftTest
    @Async
    void close_oneOfTwoSendEnds_onlyItsSenderGetsClosed() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        MemorySendChannel<String> s1 = ch.sender();
        MemorySendChannel<String> s2 = s1.copy();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                assertThrows(ClosedResourceException.class, () -> s1.send("nope"));
                record.add("s1 closed");
            });
            n.startSoon(() -> {
                s2.send("ok");
                record.add("s2 sent");
            });
            Testing.waitAllTasksBlocked();
            s1.close();
            assertEquals("ok", ch.receiver().receive());
        });
        assertEquals(Set.of("s1 closed", "s2 sent"), Set.copyOf(record));
        assertEquals(1, ch.statistics().openSendChannels());
    }

    @WeftTest
    @Async
    void close_oneOfTwoReceiveEnds_onlyItsReceiverGetsClosed() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        MemoryReceiveChannel<String> r1 = ch.receiver();
        MemoryReceiveChannel<String> r2 = r1.copy();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                assertThrows(ClosedResourceException.class, r1::receive);
                record.add("r1 closed");
            });
            n.startSoon(() -> record.add("r2 got " + r2.receive()));
            Testing.waitAllTasksBlocked();
            r1.close();
            ch.sender().send("ok");
        });
        assertEquals(Set.of("r1 closed", "r2 got ok"), Set.copyOf(record));
    }

    @WeftTest
    @Async
    void trySend_unbounded_neverBlocks() {
        MemoryChannel<Integer> ch = MemoryChannel.unbounded();
        assertEquals(Integer.MAX_VALUE, ch.statistics().maxBufferSize());
        try (MemorySendChannel<Integer> tx = ch.sender()) {
            for (int i = 0; i < 1000; i++) {
                assertTrue(tx.trySend(i));
            }
        }
        List<Integer> got = new ArrayList<>();
        for (Integer v; (v = ch.receiver().receiveOrNull()) != null; ) {
            got.add(v);
        }
        assertEquals(IntStream.range(0, 1000).boxed().toList(), got);
    }

    // ---------------------------------------------------------------- statistics

    @WeftTest
    @Async
    void statistics_afterEachStep_countBufferEndsAndWaiters() {
        MemoryChannel<String> ch = MemoryChannel.open(2);
        MemorySendChannel<String> s = ch.sender();
        MemoryReceiveChannel<String> r = ch.receiver();
        assertEquals(s.statistics(), r.statistics());
        assertEquals(new MemoryChannelStatistics(0, 2, 1, 1, 0, 0, 0), s.statistics());

        s.trySend("a");
        assertEquals(new MemoryChannelStatistics(1, 2, 1, 1, 0, 0, 1), s.statistics());
        MemorySendChannel<String> s2 = s.copy();
        assertEquals(2, s.statistics().openSendChannels());
        s.close();
        assertEquals(1, s2.statistics().openSendChannels());
        MemoryReceiveChannel<String> r2 = r.copy();
        assertEquals(2, s2.statistics().openReceiveChannels());
        r2.close();
        assertEquals(1, s2.statistics().openReceiveChannels());

        Nursery.open(n -> {
            s2.trySend("b");
            assertEquals(new MemoryChannelStatistics(2, 2, 1, 1, 0, 0, 2), s2.statistics());
            n.startSoon(() -> s2.send("c"));
            n.startSoon(() -> s2.send("d"));
            Testing.waitAllTasksBlocked();
            assertEquals(new MemoryChannelStatistics(2, 2, 1, 1, 2, 0, 2), s2.statistics());
            n.cancelScope().cancel();
        });
        assertEquals(0, s2.statistics().tasksWaitingSend());

        while (r.tryReceive() != null) {
            // drain
        }
        assertEquals(new MemoryChannelStatistics(0, 2, 1, 1, 0, 0, 2), s2.statistics(),
                "draining does not reset the peak");

        Nursery.open(n -> {
            n.startSoon(r::receive);
            Testing.waitAllTasksBlocked();
            assertEquals(1, s2.statistics().tasksWaitingReceive());
            assertEquals("MemoryReceiveChannel[capacity 2, 0 buffered, 1 send and 1 receive ends open, 0 senders and "
                    + "1 receivers waiting]", r.toString());
            n.cancelScope().cancel();
        });
        assertEquals(new MemoryChannelStatistics(0, 2, 1, 1, 0, 0, 2), s2.statistics());
    }

    // ---------------------------------------------------------------- fairness and hand-off

    @WeftTest
    @Async
    void trySend_receiverAlreadyWaiting_valueIsHandedToItNotToALaterReceive() {
        MemoryChannel<Integer> ch = MemoryChannel.open(1);
        MemorySendChannel<Integer> s = ch.sender();
        MemoryReceiveChannel<Integer> r = ch.receiver();
        // With nobody waiting, a task may take back what it just sent.
        assertTrue(s.trySend(1));
        assertEquals(1, r.tryReceive());
        assertTrue(s.trySend(2));
        assertEquals(2, r.tryReceive());

        List<Integer> result = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> result.add(r.receive()));
            Testing.waitAllTasksBlocked();
            assertTrue(s.trySend(2));
            assertNull(r.tryReceive(), "the value belongs to the waiting receiver");
            assertEquals(0, ch.statistics().currentBufferUsed());
        });
        assertEquals(List.of(2), result);
    }

    @WeftTest
    @Async
    void tryReceive_senderAlreadyWaiting_freedSlotGoesToItNotToALaterSend() {
        MemoryChannel<Integer> ch = MemoryChannel.open(1);
        MemorySendChannel<Integer> s = ch.sender();
        MemoryReceiveChannel<Integer> r = ch.receiver();
        assertTrue(s.trySend(1));
        assertFalse(s.trySend(99));
        Nursery.open(n -> {
            n.startSoon(() -> s.send(2));
            Testing.waitAllTasksBlocked();
            assertEquals(1, r.tryReceive());
            assertFalse(s.trySend(3), "the freed slot was taken by the waiting sender");
            assertEquals(2, r.receive());
        });
    }

    @WeftTest
    @Async
    void sendAndReceive_rendezvous_bothAreCheckpointsAndNothingIsBuffered() {
        MemoryChannel<Integer> ch = MemoryChannel.open(0);
        MemorySendChannel<Integer> s = ch.sender();
        MemoryReceiveChannel<Integer> r = ch.receiver();
        assertNull(r.tryReceive());
        assertFalse(s.trySend(1));
        Nursery.open(n -> {
            n.startSoon(() -> Testing.assertCheckpoints(() -> s.send(1)));
            Testing.assertCheckpoints(() -> assertEquals(1, r.receive()));
        });
        assertNull(r.tryReceive());
        assertEquals(0, ch.statistics().peakBufferUsed(), "a rendezvous never buffers, whoever blocked first");
    }

    @WeftTest
    @Async
    void receive_blockedReceivers_areServedInTheOrderTheyBlocked() {
        MemoryChannel<Integer> ch = MemoryChannel.open(0);
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 3; i++) {
                int id = i;
                n.startSoon(() -> record.add(id + " got " + ch.receiver().receive()));
                Testing.waitAllTasksBlocked();
            }
            for (int v = 10; v < 13; v++) {
                assertTrue(ch.sender().trySend(v));
            }
        });
        assertEquals(Set.of("0 got 10", "1 got 11", "2 got 12"), Set.copyOf(record));
    }

    @WeftTest
    @Async
    void send_blockedSenders_valuesArriveInTheOrderTheyBlocked() {
        MemoryChannel<Integer> ch = MemoryChannel.open(1);
        List<Integer> got = new ArrayList<>();
        Nursery.open(n -> {
            ch.sender().send(0);
            for (int i = 1; i < 4; i++) {
                int v = i;
                n.startSoon(() -> ch.sender().send(v));
                Testing.waitAllTasksBlocked();
            }
            for (int i = 0; i < 4; i++) {
                got.add(ch.receiver().receive());
            }
        });
        assertEquals(List.of(0, 1, 2, 3), got);
    }

    @WeftTest
    @Async
    void receiveOrNull_afterTheEnd_returnsNullEveryTime() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        ch.sender().close();
        assertNull(ch.receiver().receiveOrNull());
        assertNull(ch.receiver().receiveOrNull());
        assertEquals("MemorySendChannel[closed; rendezvous, 0 buffered, 0 send and 1 receive ends open, 0 senders and "
                + "0 receivers waiting]", ch.sender().toString());
    }

    @WeftTest
    @Async
    void receiveOrNull_blockedWhenTheLastSendEndCloses_returnsNull() {
        MemoryChannel<String> ch = MemoryChannel.open(0);
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> record.add("got " + ch.receiver().receiveOrNull()));
            n.startSoon(() -> record.add(assertThrows(EndOfChannelException.class, ch.receiver()::receive)
                    .getClass().getSimpleName()));
            Testing.waitAllTasksBlocked();
            ch.sender().close();
        });
        assertEquals(Set.of("got null", "EndOfChannelException"), Set.copyOf(record));
    }

    @WeftTest
    @Async
    void receiveOrNull_defaultMethod_turnsTheEndIntoNull() {
        // A ReceiveChannel that only implements receive() gets receiveOrNull for free.
        MemoryChannel<String> ch = MemoryChannel.open(1);
        ReceiveChannel<String> plain = new ReceiveChannel<>() {
            @Async
            @Override
            public String receive() {
                return ch.receiver().receive();
            }

            @Override
            public String tryReceive() {
                return ch.receiver().tryReceive();
            }

            @Override
            public void close() {
                ch.receiver().close();
            }

            @Override
            public boolean isClosed() {
                return ch.receiver().isClosed();
            }
        };
        ch.sender().send("one");
        ch.sender().close();
        assertEquals("one", plain.receiveOrNull());
        assertNull(plain.receiveOrNull());
    }
}
