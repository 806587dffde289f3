package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.BrokenResourceException;
import dev.weft.BusyResourceException;
import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.stream.AsyncResource;
import dev.weft.stream.HalfCloseableStream;
import dev.weft.stream.ReceiveStream;
import dev.weft.stream.SendStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks {@link StreamChecks} runs on clogged pairs: Trio's {@code clogged_stream_maker}
 * part of {@code trio/testing/_check_streams.py}, plus a cancelled blocked send. A clogged
 * pair is one where {@code first.sendAll} of even a few bytes blocks until {@code second}
 * receives. Each check takes a fresh pair and closes both ends afterwards, forcefully.
 *
 * <h2>Waiting</h2>
 * A check lets tasks block with {@link Testing#waitAllTasksBlocked()} (tasks waiting for I/O
 * count as blocked), then looks at what happened. Where the outcome depends on the peer (a
 * wait woken by the receiver, or by the receiver's close), a stream over real I/O may need a
 * moment for the kernel to deliver the news; only then, if the outcome is still missing,
 * the check waits for the run to stay idle a little longer (10 ms, 100 ms, then 1 s of real
 * time) before it fails. A stream that behaves never costs that time, and a broken one fails
 * rather than hangs.
 *
 * <p>The checks are package-private so that {@code CloggedStreamChecksTest} can prove each
 * one fails on a deliberately broken stream.
 */
final class CloggedStreamChecks {
    private static final byte[] XYZZY = {'x', 'y', 'z', 'z', 'y'};
    /** Real seconds of idleness to allow, one after another, before giving up on an outcome. */
    private static final double[] CUSHIONS = {0.01, 0.1, 1.0};

    private CloggedStreamChecks() {
    }

    /**
     * Runs every one-way clogged check, each on a fresh pair.
     *
     * @param clogged makes a fresh clogged pair on each call
     * @throws Exception what the factory threw
     */
    @Async
    static void checkOneWay(AsyncCallable<? extends StreamPair<? extends SendStream, ? extends ReceiveStream>> clogged)
            throws Exception {
        waitSendAllMightNotBlock_returnsOnceTheReceiverReceives(clogged.call());
        concurrentWaits_oneIsBusy(clogged.call());
        concurrentWaitAndSend_oneIsBusy(clogged.call());
        concurrentBlockedSends_oneIsBusy(clogged.call());
        blockedWait_receiverClosed_returns(clogged.call());
        wait_afterReceiverClosed_returns(clogged.call());
        blockedSendAll_senderClosedByAnotherTask_throwsClosed(clogged.call());
        blockedWait_senderClosedByAnotherTask_throwsClosed(clogged.call());
        blockedSendAll_cancelled_throwsCancelled(clogged.call());
    }

    /**
     * Runs the half-closeable clogged checks ({@code sendEof} while a send is blocked), each
     * on a fresh pair.
     *
     * @param clogged makes a fresh clogged pair on each call
     * @throws Exception what the factory threw
     */
    @Async
    static void checkHalfCloseable(
            AsyncCallable<? extends StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream>> clogged)
            throws Exception {
        sendEof_whileSendAllBlocked_isBusy(clogged.call());
        sendEof_whileWaitBlocked_isBusy(clogged.call());
    }

    // ---------------------------------------------------------------- one-way checks

    @Async
    static void waitSendAllMightNotBlock_returnsOnceTheReceiverReceives(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            List<String> log = new ArrayList<>();
            Nursery.open(n -> {
                n.startSoon("waiter", () -> {
                    log.add("waiter sleeping");
                    Testing.assertCheckpoints(s::waitSendAllMightNotBlock);
                    log.add("waiter woke up");
                    n.cancelScope().cancel();
                });
                Testing.waitAllTasksBlocked();
                n.startSoon("receiver", () -> {
                    log.add("receiver starting");
                    while (r.receiveSome(16_384).length > 0) {
                        // drain until cancelled
                    }
                });
                awaitEntries(log, 3);
                n.cancelScope().cancel();
            });
            assertEquals(List.of("waiter sleeping", "receiver starting", "waiter woke up"), log,
                    "waitSendAllMightNotBlock on a clogged stream must block until the receiver receives");
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void concurrentWaits_oneIsBusy(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            oneIsBusy("two tasks called waitSendAllMightNotBlock at once", s::waitSendAllMightNotBlock,
                    s::waitSendAllMightNotBlock);
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void concurrentWaitAndSend_oneIsBusy(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            oneIsBusy("one task called waitSendAllMightNotBlock while another called sendAll",
                    s::waitSendAllMightNotBlock, () -> s.sendAll(XYZZY));
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void concurrentBlockedSends_oneIsBusy(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            oneIsBusy("two tasks called sendAll at once on a clogged stream", () -> s.sendAll(XYZZY),
                    () -> s.sendAll(XYZZY));
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void blockedWait_receiverClosed_returns(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            List<String> log = new ArrayList<>();
            Nursery.open(n -> {
                n.startSoon("waiter", () -> {
                    waitReturnsOrBreaks(s);
                    log.add("waiter woke up");
                });
                Testing.waitAllTasksBlocked();
                log.add("closing the receiver");
                closeForcefully(r);
                awaitEntries(log, 2);
                n.cancelScope().cancel();
            });
            assertEquals(List.of("closing the receiver", "waiter woke up"), log,
                    "closing the receiver must wake a blocked waitSendAllMightNotBlock");
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void wait_afterReceiverClosed_returns(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        ReceiveStream r = p.second();
        try {
            closeForcefully(r);
            List<String> log = new ArrayList<>();
            Nursery.open(n -> {
                n.startSoon("waiter", () -> {
                    waitReturnsOrBreaks(s);
                    log.add("waiter returned");
                });
                awaitEntries(log, 1);
                n.cancelScope().cancel();
            });
            assertEquals(List.of("waiter returned"), log,
                    "waitSendAllMightNotBlock after the receiver closed must return or throw BrokenResourceException");
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void blockedSendAll_senderClosedByAnotherTask_throwsClosed(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            closedWhileBlocked(s, "sendAll", () -> s.sendAll(XYZZY));
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void blockedWait_senderClosedByAnotherTask_throwsClosed(
            StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            closedWhileBlocked(s, "waitSendAllMightNotBlock", s::waitSendAllMightNotBlock);
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void blockedSendAll_cancelled_throwsCancelled(StreamPair<? extends SendStream, ? extends ReceiveStream> p) {
        SendStream s = p.first();
        try {
            CancelScope scope = new CancelScope();
            List<String> log = new ArrayList<>();
            Nursery.open(n -> {
                n.startSoon("sender", () -> {
                    scope.run(() -> {
                        s.sendAll(XYZZY);
                        log.add("sendAll returned");
                    });
                    log.add("cancelled caught: " + scope.cancelledCaught());
                });
                Testing.waitAllTasksBlocked();
                log.add("cancelling");
                scope.cancel();
                awaitEntries(log, 2);
                n.cancelScope().cancel();
            });
            assertEquals(List.of("cancelling", "cancelled caught: true"), log,
                    "a cancelled sendAll blocked on a clogged stream must throw Cancelled");
        } finally {
            closeBothForcefully(p);
        }
    }

    // ---------------------------------------------------------------- half-closeable checks

    @Async
    static void sendEof_whileSendAllBlocked_isBusy(
            StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream> p) {
        HalfCloseableStream s = p.first();
        try {
            sendEofWhileBlocked(s, "sendAll", () -> s.sendAll(XYZZY));
        } finally {
            closeBothForcefully(p);
        }
    }

    @Async
    static void sendEof_whileWaitBlocked_isBusy(
            StreamPair<? extends HalfCloseableStream, ? extends HalfCloseableStream> p) {
        HalfCloseableStream s = p.first();
        try {
            sendEofWhileBlocked(s, "waitSendAllMightNotBlock", s::waitSendAllMightNotBlock);
        } finally {
            closeBothForcefully(p);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs {@code a} and {@code b} in two tasks, lets them block, and fails unless exactly one
     * threw {@link BusyResourceException}.
     */
    @Async
    private static void oneIsBusy(String what, AsyncRunnable a, AsyncRunnable b) {
        int[] busy = {0};
        Nursery.open(n -> {
            n.startSoon("first", () -> countBusy(a, busy));
            n.startSoon("second", () -> countBusy(b, busy));
            Testing.waitAllTasksBlocked();
            n.cancelScope().cancel();
        });
        assertEquals(1, busy[0], what + ", but BusyResourceException was thrown " + busy[0] + " times");
    }

    @Async
    private static void countBusy(AsyncRunnable body, int[] busy) throws Exception {
        try {
            body.run();
        } catch (BusyResourceException e) {
            busy[0]++;
        }
    }

    /** Blocks {@code call} in a task, closes {@code s} from this one, and expects {@link ClosedResourceException}. */
    @Async
    private static void closedWhileBlocked(SendStream s, String what, AsyncRunnable call) {
        List<String> log = new ArrayList<>();
        String expected = what + " threw ClosedResourceException";
        Nursery.open(n -> {
            n.startSoon("blocked", () -> {
                try {
                    call.run();
                    log.add(what + " returned");
                } catch (ClosedResourceException e) {
                    log.add(expected);
                }
            });
            Testing.waitAllTasksBlocked();
            log.add("closing the sender");
            closeForcefully(s);
            awaitEntries(log, 2);
            n.cancelScope().cancel();
        });
        assertEquals(List.of("closing the sender", expected), log,
                "closing the sender must wake a " + what + " blocked on it with ClosedResourceException");
    }

    /** Blocks {@code call} in a task, then expects {@code sendEof()} from this one to be busy. */
    @Async
    private static void sendEofWhileBlocked(HalfCloseableStream s, String what, AsyncRunnable call) {
        String[] outcome = {"nothing"};
        Nursery.open(n -> {
            n.startSoon("blocked", () -> {
                try {
                    call.run();
                } catch (ClosedResourceException | BrokenResourceException e) {
                    // What a sendEof that closed the stream instead does to it; the outcome below tells.
                }
            });
            Testing.waitAllTasksBlocked();
            try {
                s.sendEof();
                outcome[0] = "sendEof returned";
            } catch (BusyResourceException e) {
                outcome[0] = "BusyResourceException";
            }
            n.cancelScope().cancel();
        });
        assertEquals("BusyResourceException", outcome[0],
                "sendEof while another task's " + what + " was blocked must throw BusyResourceException");
    }

    /** Calls {@code waitSendAllMightNotBlock}, which must checkpoint if it returns, or throw BrokenResourceException. */
    @Async
    private static void waitReturnsOrBreaks(SendStream s) {
        try {
            Testing.assertCheckpoints(s::waitSendAllMightNotBlock);
        } catch (BrokenResourceException e) {
            // Allowed: the receiver is gone.
        }
    }

    /**
     * Waits until the other tasks block, and then, only while {@code log} has fewer than
     * {@code entries} entries (the outcome is missing), until they have stayed blocked for
     * longer and longer cushions of real time, so that news from real I/O can arrive.
     */
    @Async
    private static void awaitEntries(List<String> log, int entries) {
        Testing.waitAllTasksBlocked();
        for (double cushion : CUSHIONS) {
            if (log.size() >= entries) {
                return;
            }
            Testing.waitAllTasksBlocked(cushion);
        }
    }

    /** Closes {@code r} inside an already cancelled scope: Trio's {@code aclose_forcefully}. */
    @Async
    private static void closeForcefully(AsyncResource r) {
        CancelScope scope = new CancelScope();
        scope.cancel();
        scope.run(r::close);
    }

    @Async
    private static void closeBothForcefully(StreamPair<?, ?> p) {
        try {
            closeForcefully(p.first());
        } finally {
            closeForcefully(p.second());
        }
    }
}
