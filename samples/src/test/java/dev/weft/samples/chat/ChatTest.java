package dev.weft.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.TcpListener;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chat server over loopback: every line to every client in one order, joins and leaves,
 * and a client that stops reading dropped without holding up the others. The tests wait only
 * for bytes to arrive, never for time to pass.
 */
class ChatTest {
    private static final String LOOPBACK = "127.0.0.1";

    /** A test's client: its connection and its lines. */
    private record Peer(SocketStream s, LineReader in) {
        @Async
        String line() throws IOException {
            String l = in.readLine();
            if (l == null) {
                fail("the server ended the stream");
            }
            return l;
        }

        @Async
        void say(String line) {
            s.sendAll((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Async
    private static int start(Nursery n, ChatServer server) throws Exception {
        List<TcpListener> ls = n.start(status -> Net.serveTcp(0, LOOPBACK, s -> server.handle(s), status));
        return ls.get(0).localAddress().getPort();
    }

    /** Connects and reads the welcome, which must be {@code welcome}. */
    @Async
    private static Peer join(int port, String welcome) throws IOException {
        return joined(Net.openTcpStream(LOOPBACK, port), welcome);
    }

    @Async
    private static Peer joined(SocketStream s, String welcome) throws IOException {
        Peer p = new Peer(s, new LineReader(s, 1 << 20));
        assertEquals(welcome, p.line());
        return p;
    }

    @WeftTest
    @Async
    void broadcast_threeClientsTalkingAtOnce_everyClientGetsEveryLineInOneOrderWithJoinsAndLeaves() throws Exception {
        int perClient = 50;
        ChatServer server = new ChatServer();
        Nursery.open(n -> {
            int port = start(n, server);
            Peer a = join(port, "*** welcome, you are client-1; here: nobody else");
            Peer b = join(port, "*** welcome, you are client-2; here: client-1");
            assertEquals("*** client-2 joined", a.line());
            Peer c = join(port, "*** welcome, you are client-3; here: client-1, client-2");
            assertEquals("*** client-3 joined", a.line());
            assertEquals("*** client-3 joined", b.line());
            Peer[] peers = {a, b, c};
            List<List<String>> heard = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            Nursery.open(t -> {
                for (int k = 0; k < 3; k++) {
                    Peer p = peers[k];
                    List<String> got = heard.get(k);
                    t.startSoon("talk-" + k, () -> {
                        for (int i = 0; i < perClient; i++) {
                            p.say("line " + i);
                        }
                    });
                    t.startSoon("listen-" + k, () -> {
                        while (got.size() < 3 * perClient) {
                            got.add(p.line());
                        }
                    });
                }
            });
            assertEquals(heard.get(0), heard.get(1), "client-1 and client-2 heard the same lines in the same order");
            assertEquals(heard.get(0), heard.get(2), "client-1 and client-3 heard the same lines in the same order");
            for (int k = 1; k <= 3; k++) {
                String prefix = "client-" + k + ": ";
                List<String> fromK = heard.get(0).stream().filter(l -> l.startsWith(prefix)).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    expected.add(prefix + "line " + i);
                }
                assertEquals(expected, fromK, "the lines of client-" + k + ", in the order sent");
            }

            c.s().close();
            assertEquals("*** client-3 left", a.line());
            assertEquals("*** client-3 left", b.line());
            assertEquals(List.of("client-1", "client-2"), server.members());
            b.say("still here");
            assertEquals("client-2: still here", a.line());
            assertEquals("client-2: still here", b.line());
            assertEquals(0, server.droppedCount());
            a.s().close();
            b.s().close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void broadcast_clientThatNeverReads_isDroppedAsTooSlowAndTheOthersGetEveryLine() throws Exception {
        ChatServer server = new ChatServer();
        Nursery.open(n -> {
            int port = start(n, server);
            Peer a = join(port, "*** welcome, you are client-1; here: nobody else");
            Peer b = join(port, "*** welcome, you are client-2; here: client-1");
            assertEquals("*** client-2 joined", a.line());
            Peer slow = joined(connectWithSmallReceiveBuffer(port),
                    "*** welcome, you are client-3; here: client-1, client-2");
            assertEquals("*** client-3 joined", a.line());
            assertEquals("*** client-3 joined", b.line());

            // client-1 talks in windows of 16 lines (a quarter of a queue), and both fast
            // clients read each window before the next; client-3 reads nothing, so once its
            // socket buffers are full its queue fills, and the server drops it.
            String filler = "x".repeat(4000);
            int window = 16;
            int sent = 0;
            int windowsAfterDrop = -1;
            boolean aSawDrop = false;
            boolean bSawDrop = false;
            while (windowsAfterDrop < 3) {
                if (sent > 20_000) { // 80 MB: far more than any socket buffers
                    fail("client-3 was not dropped after " + sent + " lines");
                }
                for (int i = 0; i < window; i++) {
                    a.say((sent + i) + " " + filler);
                }
                for (int i = 0; i < window; i++) {
                    String expected = "client-1: " + (sent + i) + " " + filler;
                    aSawDrop |= nextChatLine(a, expected);
                    bSawDrop |= nextChatLine(b, expected);
                }
                sent += window;
                if (aSawDrop && bSawDrop) {
                    windowsAfterDrop++;
                }
            }
            assertEquals(1, server.droppedCount());
            assertEquals(List.of("client-1", "client-2"), server.members());

            // The dropped client gets what was in its socket buffers, then the notice, then the end.
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (byte[] chunk; (chunk = slow.s().receiveSome(65536)).length > 0; ) {
                got.write(chunk, 0, chunk.length);
            }
            String all = got.toString(StandardCharsets.UTF_8);
            assertTrue(all.endsWith("\n*** disconnected: too slow\n"),
                    "the dropped client's stream ends with the notice: ..."
                            + all.substring(Math.max(0, all.length() - 200)));
            assertTrue(all.startsWith("client-1: 0 " + filler + "\n"), all.substring(0, Math.min(all.length(), 100)));
            slow.s().close();

            b.say("bye");
            assertEquals("client-2: bye", a.line());
            a.s().close();
            b.s().close();
            n.cancelScope().cancel();
        });
    }

    @WeftTest
    @Async
    void cancel_serverStoppedWithClientsInTheRoom_endsCleanlyAndClosesEveryConnection() throws Exception {
        ChatServer server = new ChatServer();
        List<Peer> peers = new ArrayList<>();
        Nursery.open(n -> {
            int port = start(n, server);
            peers.add(join(port, "*** welcome, you are client-1; here: nobody else"));
            peers.add(join(port, "*** welcome, you are client-2; here: client-1"));
            peers.add(join(port, "*** welcome, you are client-3; here: client-1, client-2"));
            peers.get(2).say("hi");
            assertEquals("client-3: hi", peers.get(2).line());
            n.cancelScope().cancel("the test stops the server");
        });
        assertEquals(List.of(), server.members());
        for (Peer p : peers) {
            for (String line; (line = p.in().readLine()) != null; ) {
                assertTrue(line.startsWith("*** ") || line.equals("client-3: hi"), line);
            }
            p.s().close();
        }
    }

    /**
     * Reads the next line of {@code p}, which must be {@code expected}, except that the drop
     * notice may come first; returns whether it did.
     */
    @Async
    private static boolean nextChatLine(Peer p, String expected) throws IOException {
        String line = p.line();
        boolean drop = line.equals("*** client-3 left (too slow)");
        if (drop) {
            line = p.line();
        }
        if (!line.equals(expected)) {
            fail("expected a line starting " + expected.substring(0, 20) + ", got "
                    + line.substring(0, Math.min(40, line.length())));
        }
        return drop;
    }

    /** A client socket that can hold only a little unread data. */
    @Async
    private static SocketStream connectWithSmallReceiveBuffer(int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ch.configureBlocking(false);
        if (!ch.connect(new InetSocketAddress(LOOPBACK, port))) {
            Lowlevel.waitWritable(ch);
            ch.finishConnect();
        }
        return new SocketStream(ch);
    }

    @Test
    void tour_chatDemo_threeClientsHearEachOtherAndTheLeave() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Chat(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(Weft.runner().handleInterrupts(false));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().map(String::strip).toList();
        String all = String.join("\n", lines);
        for (int k = 1; k <= 3; k++) {
            assertTrue(lines.contains("client-" + k + " got: client-1: hello, everyone"), all);
            assertTrue(lines.contains("client-" + k + " got: client-3: yes: one thread, a task per connection"), all);
        }
        assertTrue(lines.contains("client-1 got: *** client-3 left"), all);
        assertTrue(lines.contains("client-2 got: *** client-3 left"), all);
        assertEquals("main: the server has stopped, and every connection with it", lines.get(lines.size() - 1), all);
    }
}
