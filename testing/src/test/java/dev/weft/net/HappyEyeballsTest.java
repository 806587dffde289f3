package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.CancelScope;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.MockClock;
import dev.weft.testing.WeftTest;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Happy eyeballs (RFC 8305) through {@link Net}'s test seam, on a {@link MockClock}: a fake
 * resolver, fake sockets, and connects that succeed, fail or hang at scripted times, so that
 * every attempt's start time can be asserted exactly. Mirrors Trio's
 * {@code test_highlevel_open_tcp_stream.py} scenarios.
 */
class HappyEyeballsTest {

    private static final InetAddress V6A = address("v6a", "2001:db8::a");
    private static final InetAddress V6B = address("v6b", "2001:db8::b");
    private static final InetAddress V4A = address("v4a", "192.0.2.1");
    private static final InetAddress V4B = address("v4b", "192.0.2.2");
    private static final InetAddress V4C = address("v4c", "192.0.2.3");

    private static InetAddress address(String name, String literal) {
        try {
            return InetAddress.getByAddress(name, InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A socket that is never a real one: where it was to connect, when it was made, whether it was closed. */
    static final class FakeSocket implements Closeable {
        final InetAddress target;
        final double openedAt;
        boolean connected;
        boolean closed;

        FakeSocket(InetAddress target, double openedAt) {
            this.target = target;
            this.openedAt = openedAt;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "FakeSocket[" + target.getHostName() + " at " + openedAt + (closed ? ", closed" : "") + "]";
        }
    }

    /** What the fake connect of one address does: after {@code seconds}, succeed or fail; or hang. */
    record Outcome(double seconds, boolean succeeds) {
        static final Outcome HANG = new Outcome(Double.POSITIVE_INFINITY, false);

        static Outcome succeedAt(double seconds) {
            return new Outcome(seconds, true);
        }

        static Outcome failAfter(double seconds) {
            return new Outcome(seconds, false);
        }
    }

    /** A fake network: scripted outcomes per address, and every socket made, in order. */
    static final class FakeNet {
        final Map<InetAddress, Outcome> script = new HashMap<>();
        final List<FakeSocket> sockets = new ArrayList<>();

        FakeNet on(InetAddress a, Outcome o) {
            script.put(a, o);
            return this;
        }

        /** Connects to {@code addresses} (in the resolver's order) through {@link Net}'s seam. */
        @Async
        FakeSocket connect(Duration delay, InetAddress... addresses) throws IOException {
            return Net.openTcpStream("fake.example", 443, delay, host -> List.of(addresses),
                    target -> {
                        FakeSocket s = new FakeSocket(target.getAddress(), Weft.currentTime());
                        sockets.add(s);
                        return s;
                    },
                    (socket, target) -> {
                        Outcome o = script.get(target.getAddress());
                        if (o.seconds() == Double.POSITIVE_INFINITY) {
                            Weft.sleepForever();
                        }
                        Weft.sleep(Duration.ofNanos((long) (o.seconds() * 1e9)));
                        if (!o.succeeds()) {
                            throw new ConnectException("fake: refused by " + target.getAddress().getHostName());
                        }
                        socket.connected = true;
                    });
        }

        @Async
        FakeSocket connect(InetAddress... addresses) throws IOException {
            return connect(Net.HAPPY_EYEBALLS_DELAY, addresses);
        }

        List<Double> startTimes() {
            return sockets.stream().map(s -> s.openedAt).toList();
        }

        List<String> targets() {
            return sockets.stream().map(s -> s.target.getHostName()).toList();
        }

        void assertAllClosedBut(FakeSocket winner) {
            for (FakeSocket s : sockets) {
                assertEquals(s != winner, s.closed, s + " (winner " + winner + ")");
            }
        }
    }

    private static void assertTimes(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), "start times " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-9, "attempt " + i + " of " + actual);
        }
    }

    @WeftTest
    @Async
    void connect_everyAttemptHangs_startsOneEveryDelayAndCancellingClosesAll(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet().on(V4A, Outcome.HANG).on(V4B, Outcome.HANG).on(V4C, Outcome.HANG);
        CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(1));
        scope.run(() -> {
            net.connect(V4A, V4B, V4C);
            fail("connected to a network that never answers");
        });
        assertTrue(scope.cancelledCaught());
        assertTimes(List.of(0.0, 0.25, 0.5), net.startTimes());
        assertEquals(List.of("v4a", "v4b", "v4c"), net.targets());
        net.assertAllClosedBut(null);
    }

    @WeftTest
    @Async
    void connect_firstFailsAt0_1_startsTheNextAtOnce(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet()
                .on(V4A, Outcome.failAfter(0.1))
                .on(V4B, Outcome.succeedAt(0.5))
                .on(V4C, Outcome.HANG);
        FakeSocket s = net.connect(V4A, V4B, V4C);
        assertSame(net.sockets.get(1), s);
        assertTrue(s.connected);
        assertEquals(0.6, Weft.currentTime(), 1e-9);
        assertTimes(List.of(0.0, 0.1, 0.35), net.startTimes());
        net.assertAllClosedBut(s);
    }

    @WeftTest
    @Async
    void connect_firstSucceedsAt0_3_cancelsTheAttemptStartedAt0_25AndStartsNoMore(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet()
                .on(V4A, Outcome.succeedAt(0.3))
                .on(V4B, Outcome.HANG)
                .on(V4C, Outcome.HANG);
        FakeSocket s = net.connect(V4A, V4B, V4C);
        assertSame(net.sockets.get(0), s);
        assertEquals(0.3, Weft.currentTime(), 1e-9);
        assertTimes(List.of(0.0, 0.25), net.startTimes());
        net.assertAllClosedBut(s);
    }

    @WeftTest
    @Async
    void connect_onlyAddressSucceeds_returnsItWithoutWaiting(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet().on(V6A, Outcome.succeedAt(0));
        FakeSocket s = net.connect(V6A);
        assertTrue(s.connected);
        assertFalse(s.closed);
        assertEquals(0.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void connect_everyAttemptFails_throwsTheFirstFailureWithTheOthersSuppressedInOrder(MockClock clock)
            throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet()
                .on(V4A, Outcome.failAfter(1.0))    // fails last, at 1.0
                .on(V4B, Outcome.failAfter(0.25))   // starts at 0.25, fails first, at 0.5
                .on(V4C, Outcome.failAfter(0.1));   // starts at 0.5, fails at 0.6
        ConnectException e = assertThrows(ConnectException.class, () -> net.connect(V4A, V4B, V4C));
        assertEquals("fake: refused by v4b", e.getMessage());
        assertEquals(List.of("fake: refused by v4c", "fake: refused by v4a"),
                Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).toList());
        assertEquals(1.0, Weft.currentTime(), 1e-9);
        assertTimes(List.of(0.0, 0.25, 0.5), net.startTimes());
        net.assertAllClosedBut(null);
    }

    @WeftTest
    @Async
    void connect_twoFamiliesFromTheResolver_triesThemInterleaved(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet()
                .on(V6A, Outcome.HANG).on(V6B, Outcome.HANG).on(V4A, Outcome.HANG).on(V4B, Outcome.succeedAt(0));
        FakeSocket s = net.connect(V6A, V6B, V4A, V4B);
        assertEquals(List.of("v6a", "v4a", "v6b", "v4b"), net.targets());
        assertTimes(List.of(0.0, 0.25, 0.5, 0.75), net.startTimes());
        assertSame(net.sockets.get(3), s);
        net.assertAllClosedBut(s);
    }

    @WeftTest
    @Async
    void interleave_unevenFamilies_alternatesThenAppendsTheRestInOrder() {
        assertEquals(List.of(V6A, V4A, V6B, V4B), HappyEyeballs.interleave(List.of(V6A, V6B, V4A, V4B)));
        assertEquals(List.of(V4A, V6A, V4B, V6B, V4C), HappyEyeballs.interleave(List.of(V4A, V4B, V4C, V6A, V6B)));
        assertEquals(List.of(V4A, V6A, V4B, V4C), HappyEyeballs.interleave(List.of(V4A, V6A, V4B, V4C)));
        assertEquals(List.of(V6A, V6B), HappyEyeballs.interleave(List.of(V6A, V6B)));
        assertEquals(List.of(), HappyEyeballs.interleave(List.of()));
    }

    @WeftTest
    @Async
    void connect_twoSucceedAtTheSameTime_returnsOneAndClosesTheOther(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet().on(V4A, Outcome.succeedAt(0.1)).on(V4B, Outcome.succeedAt(0.1));
        FakeSocket s = net.connect(Duration.ZERO, V4A, V4B);
        assertTimes(List.of(0.0, 0.0), net.startTimes());
        assertTrue(net.sockets.get(0).connected && net.sockets.get(1).connected, net.sockets.toString());
        net.assertAllClosedBut(s);
    }

    @WeftTest
    @Async
    void connect_customDelay_startsTheNextAttemptAfterIt(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet().on(V4A, Outcome.HANG).on(V4B, Outcome.HANG).on(V4C, Outcome.succeedAt(0.5));
        FakeSocket s = net.connect(Duration.ofSeconds(2), V4A, V4B, V4C);
        assertTimes(List.of(0.0, 2.0, 4.0), net.startTimes());
        assertEquals(4.5, Weft.currentTime(), 1e-9);
        assertSame(net.sockets.get(2), s);
        net.assertAllClosedBut(s);
    }

    @WeftTest
    @Async
    void connect_zeroDelay_startsEveryAttemptAtOnce(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet().on(V4A, Outcome.HANG).on(V4B, Outcome.succeedAt(0.2)).on(V4C, Outcome.HANG);
        FakeSocket s = net.connect(Duration.ZERO, V4A, V4B, V4C);
        assertTimes(List.of(0.0, 0.0, 0.0), net.startTimes());
        assertSame(net.sockets.get(1), s);
        net.assertAllClosedBut(s);
    }

    @WeftTest
    @Async
    void connect_callCancelledAfterOneAttemptFailed_closesEverySocket(MockClock clock) throws Exception {
        clock.autojumpThreshold(0);
        FakeNet net = new FakeNet().on(V6A, Outcome.failAfter(0.1)).on(V4A, Outcome.HANG).on(V6B, Outcome.HANG);
        FakeSocket[] got = new FakeSocket[1];
        CancelScope.moveOnAfter(Duration.ofMillis(400)).run(() -> got[0] = net.connect(V6A, V6B, V4A));
        assertNull(got[0]);
        assertTimes(List.of(0.0, 0.1, 0.35), net.startTimes());
        assertEquals(List.of("v6a", "v4a", "v6b"), net.targets());
        net.assertAllClosedBut(null);
    }

    @WeftTest
    @Async
    void connect_resolverFindsNoAddress_throwsIOExceptionNamingTheHost(MockClock clock) throws Exception {
        IOException e = assertThrows(IOException.class, () -> Net.openTcpStream("nowhere.example", 80,
                Net.HAPPY_EYEBALLS_DELAY, host -> List.of(),
                target -> fail("no socket should be made"), (socket, target) -> fail("no connect")));
        assertTrue(e.getMessage().contains("nowhere.example"), e.getMessage());
    }

    @WeftTest
    @Async
    void openTcpStream_negativeDelay_throwsIllegalArgumentException() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Net.openTcpStream("127.0.0.1", 80, null, Duration.ofMillis(-1)));
        assertEquals("happyEyeballsDelay must be >= 0, was PT-0.001S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Net.openTcpStream("127.0.0.1", 0));
    }
}
