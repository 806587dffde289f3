package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Instrument;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.BusyResourceException;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code Lowlevel.waitReadable}/{@code waitWritable}/{@code notifyClosing} on a {@link Pipe}:
 * readiness wakes the waiter, a cancelled wait takes its interest back, one waiter per
 * direction, work posted by another thread wakes a run waiting in its selector.
 */
class IoWaitTest {

    private static Pipe nonBlockingPipe() throws Exception {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    @WeftTest
    @Async
    void waitReadable_dataWrittenByAnotherTask_wakesTheWaiter() throws Exception {
        Pipe p = nonBlockingPipe();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("reader", () -> {
                Lowlevel.waitReadable(p.source());
                log.add("readable");
            });
            Testing.waitAllTasksBlocked();
            log.add("writing");
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        });
        assertEquals(List.of("writing", "readable"), log);
        p.source().close();
        p.sink().close();
    }

    @WeftTest
    @Async
    void waitWritable_emptyPipe_returnsAndIsACheckpoint() throws Exception {
        Pipe p = nonBlockingPipe();
        Testing.assertCheckpoints(() -> Lowlevel.waitWritable(p.sink()));
        p.source().close();
        p.sink().close();
    }

    @WeftTest
    @Async
    void waitReadable_cancelledThenDataArrives_secondWaitIsWokenOnce() throws Exception {
        Pipe p = nonBlockingPipe();
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("reader", () -> {
                scope.run(() -> Lowlevel.waitReadable(p.source()));
                log.add("cancelled caught: " + scope.cancelledCaught());
                Lowlevel.waitReadable(p.source());
                log.add("readable");
            });
            Testing.waitAllTasksBlocked();
            scope.cancel();
            Testing.waitAllTasksBlocked();
            log.add("writing");
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        });
        assertEquals(List.of("cancelled caught: true", "writing", "readable"), log);
        p.source().close();
        p.sink().close();
    }

    @WeftTest
    @Async
    void waitReadable_secondWaiterSameChannel_throwsBusyResourceException() throws Exception {
        Pipe p = nonBlockingPipe();
        Nursery.open(n -> {
            n.startSoon("first", () -> Lowlevel.waitReadable(p.source()));
            Testing.waitAllTasksBlocked();
            BusyResourceException e = assertThrows(BusyResourceException.class,
                    () -> Lowlevel.waitReadable(p.source()));
            assertTrue(e.getMessage().contains("'first'"), e.getMessage());
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        });
        p.source().close();
        p.sink().close();
    }

    @WeftTest
    @Async
    void waitReadable_notifyClosingFromAnotherTask_throwsClosedResourceException() throws Exception {
        Pipe p = nonBlockingPipe();
        Nursery.open(n -> {
            n.startSoon("reader", () -> assertThrows(ClosedResourceException.class,
                    () -> Lowlevel.waitReadable(p.source())));
            Testing.waitAllTasksBlocked();
            Lowlevel.notifyClosing(p.source());
            p.source().close();
        });
        assertThrows(ClosedResourceException.class, () -> Lowlevel.waitReadable(p.source()));
        p.sink().close();
    }

    @WeftTest
    @Async
    void waitWritable_pipeSource_throwsIllegalArgumentException() throws Exception {
        Pipe p = nonBlockingPipe();
        assertThrows(IllegalArgumentException.class, () -> Lowlevel.waitWritable(p.source()));
        p.source().close();
        p.sink().close();
    }

    @WeftTest
    @Async
    void runInThread_whileATaskWaitsForIo_postWakesTheSelector() throws Exception {
        Pipe p = nonBlockingPipe();
        List<String> events = new ArrayList<>();
        CountDownLatch loopWaits = new CountDownLatch(1);
        Instrument io = new Instrument() {
            @Override
            public void beforeIoWait(double timeoutSeconds) {
                events.add("before");
                loopWaits.countDown();
            }

            @Override
            public void afterIoWait(double timeoutSeconds) {
                events.add("after");
            }
        };
        Nursery.open(n -> {
            n.startSoon("io waiter", () -> Lowlevel.waitReadable(p.source()));
            Testing.waitAllTasksBlocked();
            Lowlevel.addInstrument(io);
            assertEquals("from a thread", Weft.runInThread(() -> {
                loopWaits.await(); // answers only once the run's thread is about to select
                return "from a thread";
            }));
            Lowlevel.removeInstrument(io);
            n.cancelScope().cancel();
        });
        assertTrue(events.contains("before") && events.contains("after"), events.toString());
        p.source().close();
        p.sink().close();
    }
}
