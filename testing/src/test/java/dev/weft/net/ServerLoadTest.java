package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.sync.Event;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link Net#serveTcp} under load: hundreds of clients in the middle of echo conversations
 * when the server's scope is cancelled. Afterwards every task has ended and the process has
 * exactly the file descriptors it had before: no socket of the server, its handlers or the
 * clients is left open. Real sockets on loopback, so the system clock; Linux only (it counts
 * {@code /proc/self/fd}).
 */
class ServerLoadTest {

    private static final String LOOPBACK = "127.0.0.1";
    private static final int CLIENTS = 320;
    /** Between a client's round trips, so that 320 chatty clients leave the accept loop some of the thread. */
    private static final Duration THINK_TIME = Duration.ofMillis(5);
    private static final Path FDS = Path.of("/proc/self/fd");

    /** Shared by the clients of one round: how many have had an answer, and when all have. */
    static final class Progress {
        final Event allAnswered = new Event();
        int answered;
        int cutOff;
        int rounds;
    }

    @WeftTest
    @Async
    void serveTcp_cancelledWhile320ClientsAreMidConversation_endsEveryTaskAndClosesEverySocket() throws Exception {
        assumeTrue(Files.isDirectory(FDS), "needs Linux's /proc/self/fd");
        conversation(20);               // loads the classes and opens the run's selector before counting
        long before = settledDescriptors();

        Progress p = conversation(CLIENTS);

        assertEquals(CLIENTS, p.answered);
        assertTrue(p.rounds >= CLIENTS, "rounds " + p.rounds);
        long after = settledDescriptors();
        for (int i = 0; i < 100 && after != before; i++) {
            Weft.sleep(Duration.ofMillis(10));
            after = openDescriptors();
        }
        assertEquals(before, after, "open file descriptors before and after the server");
    }

    /**
     * Starts a server and {@code clients} clients that each echo round trips until the server
     * goes away; cancels the server once every client has had one answer, and returns when
     * every task has ended.
     */
    @Async
    private static Progress conversation(int clients) throws Exception {
        Progress p = new Progress();
        CancelScope server = new CancelScope();
        Nursery.open(n -> {
            List<TcpListener> ls = n.start("server", status -> server.run(
                    () -> Net.serveTcp(0, LOOPBACK, NetTest::echo, status)));
            int port = ls.get(0).localAddress().getPort();
            for (int i = 0; i < clients; i++) {
                int k = i;
                n.startSoon("client-" + k, () -> client(port, k, clients, p));
            }
            p.allAnswered.await();
            server.cancel("the test stops the server mid-conversation");
        });
        assertTrue(server.cancelledCaught());
        assertEquals(clients, p.cutOff, "every client ended because the server went away mid-conversation");
        return p;
    }

    /** Echo round trips until the server closes or resets the connection. */
    @Async
    private static void client(int port, int k, int clients, Progress p) throws IOException {
        SocketStream c = Net.openTcpStream(LOOPBACK, port);
        try {
            byte[] message = ("client " + k + " round trip").getBytes(StandardCharsets.UTF_8);
            for (int round = 0; ; round++) {
                try {
                    c.sendAll(message);
                    byte[] answer = receiveExactly(c, message.length);
                    if (answer == null) {
                        break;
                    }
                    assertArrayEquals(message, answer);
                } catch (BrokenResourceException e) {
                    break;
                }
                p.rounds++;
                if (round == 0 && ++p.answered == clients) {
                    p.allAnswered.set();
                }
                Weft.sleep(THINK_TIME);
            }
            p.cutOff++;
        } finally {
            c.close();
        }
    }

    /** Receives exactly {@code n} bytes, or returns null at the end of the stream. */
    @Async
    private static byte[] receiveExactly(SocketStream s, int n) {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            int r = s.receive(out, got, n - got);
            if (r < 0) {
                return null;
            }
            got += r;
        }
        return out;
    }

    /**
     * Counts open descriptors once the run has blocked in its selector twice: a channel that
     * was registered with the run's selector is closed by the JDK only at the selector's next
     * select, so the count settles then.
     */
    @Async
    private static long settledDescriptors() throws IOException {
        Weft.sleep(Duration.ofMillis(20));
        Weft.sleep(Duration.ofMillis(20));
        return openDescriptors();
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        }
    }
}
