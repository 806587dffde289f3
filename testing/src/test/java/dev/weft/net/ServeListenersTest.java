package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.AsyncResource;
import dev.weft.stream.Listener;
import dev.weft.testing.MockClock;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@link Net#serveListeners} over any {@link Listener}: a fake listener on a {@link MockClock}
 * whose accepts fail as scripted (Trio's {@code test_highlevel_serve_listeners.py}), and
 * {@link Net#serveTcp} with a lambda handler over loopback.
 */
class ServeListenersTest {

    /** A connection that is only a name, and knows whether it was closed. */
    static final class FakeConnection implements AsyncResource {
        final String name;
        boolean closed;

        FakeConnection(String name) {
            this.name = name;
        }

        @Async
        @Override
        public void close() {
            closed = true;
            Weft.checkpoint();
        }

        @Override
        public String toString() {
            return "FakeConnection[" + name + "]";
        }
    }

    /**
     * A listener whose accepts follow a script: each entry an {@link IOException} to throw or a
     * connection to return; once the script is done, accepts wait forever. Logs when each
     * accept was called.
     */
    static final class FakeListener implements Listener<FakeConnection> {
        final Deque<Object> script;
        final List<Double> acceptTimes = new ArrayList<>();
        boolean closeStarted;
        boolean closeFinished;

        FakeListener(Object... script) {
            this.script = new ArrayDeque<>(List.of(script));
        }

        @Async
        @Override
        public FakeConnection accept() throws IOException {
            acceptTimes.add(Weft.currentTime());
            Weft.checkpoint();
            Object next = script.poll();
            if (next == null) {
                Weft.sleepForever();
            }
            if (next instanceof IOException e) {
                throw e;
            }
            return (FakeConnection) next;
        }

        /** A close that checkpoints: it finishes only if the server closes it in a shielded scope. */
        @Async
        @Override
        public void close() {
            closeStarted = true;
            Weft.checkpoint();
            closeFinished = true;
        }

        @Override
        public String toString() {
            return "FakeListener";
        }
    }

    /** A listener with {@code n} connections waiting: accept checkpoints, tryAccept does not. */
    static final class WaitingConnections implements Listener<FakeConnection> {
        final Deque<FakeConnection> waiting = new ArrayDeque<>();

        WaitingConnections(int n) {
            for (int i = 0; i < n; i++) {
                waiting.add(new FakeConnection("c" + i));
            }
        }

        @Async
        @Override
        public FakeConnection accept() {
            Weft.checkpoint();
            FakeConnection c = waiting.poll();
            if (c == null) {
                Weft.sleepForever();
            }
            return c;
        }

        @Async
        @Override
        public FakeConnection tryAccept() {
            return waiting.poll();
        }

        @Async
        @Override
        public void close() {
            Weft.checkpoint();
        }
    }

    /** Collects what is logged to {@code "dev.weft.net"} (the JDK's System.Logger goes to java.util.logging). */
    static final class Captured extends Handler {
        final List<LogRecord> records = new ArrayList<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static void assertTimes(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), "accept times " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-9, "accept " + i + " of " + actual);
        }
    }

    @WeftTest
    @Async
    void serveListeners_acceptOutOfResourcesTwice_retriesEvery100msLogsAndGoesOn(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        Logger log = Logger.getLogger("dev.weft.net");
        Captured captured = new Captured();
        boolean useParent = log.getUseParentHandlers();
        log.addHandler(captured);
        log.setUseParentHandlers(false);
        try {
            FakeConnection a = new FakeConnection("a");
            FakeConnection b = new FakeConnection("b");
            FakeListener l = new FakeListener(new IOException("Too many open files"),
                    new IOException("accept failed: No buffer space available"), a, b);
            List<String> served = new ArrayList<>();
            Nursery.open(n -> {
                List<FakeListener> ls = n.start(status -> Net.serveListeners(List.of(l), c -> {
                    served.add(c.name + " at " + Weft.currentTime());
                }, status));
                assertEquals(List.of(l), ls);
                Weft.sleep(Duration.ofSeconds(1));
                assertTimes(List.of(0.0, 0.1, 0.2, 0.2, 0.2), l.acceptTimes);
                assertEquals(2, served.size(), served.toString());
                assertTrue(served.containsAll(List.of("a at 0.2", "b at 0.2")), served.toString());
                assertTrue(a.closed && b.closed, "the server closes each connection after its handler");
                n.cancelScope().cancel();
            });
            assertTrue(l.closeStarted && l.closeFinished, "closed with its own close, shielded");
            assertEquals(2, captured.records.size());
            for (LogRecord r : captured.records) {
                assertEquals(Level.SEVERE, r.getLevel());
                assertTrue(r.getMessage().contains("retrying in 100 ms"), r.getMessage());
                assertTrue(r.getThrown() instanceof IOException, String.valueOf(r.getThrown()));
            }
            assertTrue(captured.records.get(0).getMessage().contains("Too many open files"));
        } finally {
            log.removeHandler(captured);
            log.setUseParentHandlers(useParent);
        }
    }

    @WeftTest
    @Async
    void serveListeners_acceptFailsForAnotherReason_endsTheServerWithAFailureGroup(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        IOException reset = new IOException("Connection reset by peer");
        FakeListener l = new FakeListener(new IOException("Too many open files"), reset);
        FailureGroup g = assertThrows(FailureGroup.class,
                () -> Net.serveListeners(List.of(l), c -> { }, null));
        assertEquals(List.of(reset), g.failures());
        assertTimes(List.of(0.0, 0.1), l.acceptTimes);
        assertEquals(0.1, Weft.currentTime(), 1e-9);
        assertTrue(l.closeStarted && l.closeFinished);
    }

    @WeftTest
    @Async
    void serveListeners_handlerFails_endsTheServerAndClosesTheOtherConnections(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeConnection slow = new FakeConnection("slow");
        FakeConnection bad = new FakeConnection("bad");
        FakeListener l = new FakeListener(slow, bad);
        FailureGroup g = assertThrows(FailureGroup.class, () -> Net.serveListeners(List.of(l), c -> {
            if (c == bad) {
                Weft.sleep(Duration.ofSeconds(1));
                throw new IllegalStateException("bad client");
            }
            Weft.sleepForever();
        }, null));
        assertEquals("bad client", g.first(IllegalStateException.class).orElseThrow().getMessage());
        assertEquals(1.0, Weft.currentTime(), 1e-9);
        assertTrue(slow.closed && bad.closed);
        assertTrue(l.closeFinished);
    }

    @WeftTest
    @Async
    void serveListeners_noListener_throwsIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Net.serveListeners(List.<FakeListener>of(), c -> { }, null));
        assertTrue(e.getMessage().startsWith("listeners must not be empty"), e.getMessage());
    }

    @WeftTest
    @Async
    void isOutOfResources_messagesOfEmfileEnfileEnobufsEnomem_areRetriedOthersAreNot() {
        assertTrue(Net.isOutOfResources(new IOException("Too many open files")));
        assertTrue(Net.isOutOfResources(new IOException("Too many open files in system")));
        assertTrue(Net.isOutOfResources(new IOException("No buffer space available")));
        assertTrue(Net.isOutOfResources(new IOException("wrapped", new IOException("Cannot allocate memory"))));
        assertTrue(!Net.isOutOfResources(new IOException("Connection reset by peer")));
        assertTrue(!Net.isOutOfResources(new IOException((String) null)));
    }

    @WeftTest
    @Async
    void serveTcp_lambdaHandler_servesEachConnection() throws Exception {
        Nursery.open(n -> {
            List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", s -> {
                s.sendAll(("you are " + s.remoteAddress().getAddress().getHostAddress()).getBytes(StandardCharsets.UTF_8));
            }, status));
            SocketStream c = Net.openTcpStream("127.0.0.1", ls.get(0).localAddress().getPort());
            assertArrayEquals("you are 127.0.0.1".getBytes(StandardCharsets.UTF_8), NetTest.receiveAll(c));
            c.close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void serveListeners_manyWaitingConnectionsAndABusyRun_acceptsABurstPerPass() throws Exception {
        // A task that checkpoints in a loop counts the scheduler's passes. With one checkpoint
        // per accepted connection the server would take one connection per pass (250 passes);
        // with bursts of Net.ACCEPT_BURST it takes them all in a few.
        WaitingConnections l = new WaitingConnections(250);
        int[] passes = {0};
        List<Integer> servedAtPass = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("busy", () -> {
                while (true) {
                    Weft.checkpoint();
                    passes[0]++;
                }
            });
            n.startSoon("server", () -> Net.serveListeners(List.of(l), c -> servedAtPass.add(passes[0]), null));
            while (servedAtPass.size() < 250) {
                Weft.checkpoint();
            }
            n.cancelScope().cancel();
        });
        int last = servedAtPass.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(last <= 10, "the 250th connection was served at pass " + last);
    }

    @WeftTest
    @Async
    void tcpListenerTryAccept_nullUntilAClientConnects_thenItsStream_closedAfterClose() throws Exception {
        TcpListener l = Net.openTcpListeners(0, "127.0.0.1").get(0);
        SocketStream client = null;
        SocketStream server = null;
        try {
            assertEquals(null, l.tryAccept(), "nothing is waiting");
            client = Net.openTcpStream("127.0.0.1", l.localAddress().getPort());
            server = l.tryAccept(); // a loopback connect returns once the connection is in the accept queue
            assertTrue(server != null, "the connected client is waiting");
            client.sendAll(new byte[] {7});
            assertArrayEquals(new byte[] {7}, server.receiveSome(1));
        } finally {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
            l.close();
        }
        assertThrows(dev.weft.ClosedResourceException.class, l::tryAccept);
    }
}
