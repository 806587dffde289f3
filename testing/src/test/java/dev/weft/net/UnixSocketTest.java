package dev.weft.net;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Unix domain stream sockets ({@link Net#openUnixListener}, {@link Net#openUnixStream}): echo,
 * many clients, cancellation and closing, with the socket file in a fresh directory under
 * {@code /tmp} (Unix socket paths are limited to about 100 bytes). The tests use the system
 * clock and never sleep: they order tasks with {@code waitAllTasksBlocked}.
 */
class UnixSocketTest {

    private Path dir;
    private Path socket;

    @BeforeEach
    void makeDirectory() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "w");
        socket = dir.resolve("s");
    }

    @AfterEach
    void removeDirectory() throws IOException {
        Files.deleteIfExists(socket);
        Files.delete(dir);
    }

    /** Sends {@code text} through a new connection to {@code path}, sends the end of stream, returns the answer. */
    @Async
    static String roundTrip(Path path, String text) throws IOException {
        SocketStream c = Net.openUnixStream(path);
        try {
            c.sendAll(text.getBytes(StandardCharsets.UTF_8));
            c.sendEof();
            return new String(NetTest.receiveAll(c), StandardCharsets.UTF_8);
        } finally {
            c.close();
        }
    }

    /** Accepts connections until cancelled, echoing each in its own task. */
    @Async
    static void serveEcho(UnixListener l, Nursery n) throws IOException {
        while (true) {
            SocketStream s = l.accept();
            n.startSoon("echo", () -> {
                try {
                    NetTest.echo(s);
                } finally {
                    s.close();
                }
            });
        }
    }

    @WeftTest
    @Async
    void accept_echoServer_echoesAndCloseDeletesTheSocketFile() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        assertTrue(Files.exists(socket));
        assertEquals(socket, l.path());
        Nursery.open(n -> {
            n.startSoon("server", () -> serveEcho(l, n));
            assertEquals("hello over unix", roundTrip(socket, "hello over unix"));
            n.cancelScope().cancel();
        });
        l.close();
        assertFalse(Files.exists(socket));
        assertThrows(IOException.class, () -> Net.openUnixStream(socket));
    }

    @WeftTest
    @Async
    void accept_50ConcurrentClients_echoesEachItsOwnText() throws Exception {
        int clients = 50;
        String[] answers = new String[clients];
        UnixListener l = Net.openUnixListener(socket);
        try {
            Nursery.open(server -> {
                server.startSoon("server", () -> serveEcho(l, server));
                Nursery.open(n -> {
                    for (int i = 0; i < clients; i++) {
                        int k = i;
                        n.startSoon("client-" + k, () -> answers[k] = roundTrip(socket, "client " + k + " says hi"));
                    }
                });
                server.cancelScope().cancel();
            });
        } finally {
            l.close();
        }
        for (int i = 0; i < clients; i++) {
            assertEquals("client " + i + " says hi", answers[i]);
        }
    }

    @WeftTest
    @Async
    void receiveSome_afterPeerSendEof_returnsEmptyButSendsGoOn() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        SocketStream c = Net.openUnixStream(socket);
        SocketStream s = l.accept();
        l.close();
        c.sendAll(new byte[] {7});
        c.sendEof();
        assertArrayEquals(new byte[] {7}, NetTest.receiveExactly(s, 1));
        assertEquals(0, s.receiveSome(10).length);
        s.sendAll(new byte[] {8, 9});
        s.close();
        assertArrayEquals(new byte[] {8, 9}, NetTest.receiveAll(c));
        c.close();
        assertThrows(ClosedResourceException.class, () -> c.receiveSome(1));
    }

    @WeftTest
    @Async
    void accept_scopeCancelledWhileBlocked_throwsCancelledAndListenerStaysUsable() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("acceptor", () -> {
                scope.run(() -> {
                    l.accept();
                    log.add("accepted");
                });
                log.add("cancelled caught: " + scope.cancelledCaught());
            });
            Testing.waitAllTasksBlocked();
            log.add("cancelling");
            scope.cancel();
        });
        assertEquals(List.of("cancelling", "cancelled caught: true"), log);
        SocketStream c = Net.openUnixStream(socket);
        SocketStream s = l.accept();
        c.sendAll(new byte[] {4});
        assertArrayEquals(new byte[] {4}, s.receiveSome(1));
        c.close();
        s.close();
        l.close();
    }

    @WeftTest
    @Async
    void accept_listenerClosedByAnotherTaskWhileBlocked_throwsClosedResourceException() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        List<String> log = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("acceptor", () -> {
                assertThrows(ClosedResourceException.class, () -> l.accept());
                log.add("acceptor saw the close");
            });
            Testing.waitAllTasksBlocked();
            l.close();
        });
        assertEquals(List.of("acceptor saw the close"), log);
        assertThrows(ClosedResourceException.class, () -> l.accept());
        assertFalse(Files.exists(socket));
    }

    @WeftTest
    @Async
    void openUnixListener_fileExistsAtPath_throwsIOException() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        assertThrows(IOException.class, () -> Net.openUnixListener(socket));
        l.close();
    }

    @WeftTest
    @Async
    void remoteAndLocalAddress_unixStream_throwUnsupportedOperationExceptionNamingTheFix() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        SocketStream c = Net.openUnixStream(socket);
        SocketStream s = l.accept();
        UnsupportedOperationException remote = assertThrows(UnsupportedOperationException.class, () -> c.remoteAddress());
        assertTrue(remote.getMessage().contains(
                "a Unix domain stream has no IP address; use channel().getRemoteAddress()"), remote.getMessage());
        UnsupportedOperationException local = assertThrows(UnsupportedOperationException.class, () -> s.localAddress());
        assertTrue(local.getMessage().contains("use channel().getLocalAddress()"), local.getMessage());
        assertEquals(socket, ((UnixDomainSocketAddress) c.channel().getRemoteAddress()).getPath());
        assertTrue(c.toString().contains(socket.toString()), c.toString());
        c.close();
        s.close();
        l.close();
        assertThrows(ClosedResourceException.class, () -> c.remoteAddress());
    }

    @WeftTest
    @Async
    void serveListeners_unixListener_servesAndClosesItWhenCancelled() throws Exception {
        UnixListener l = Net.openUnixListener(socket);
        Nursery.open(n -> {
            List<UnixListener> ls = n.start(status -> Net.serveListeners(List.of(l), NetTest::echo, status));
            assertEquals(List.of(l), ls);
            assertEquals("hello from a served unix socket", roundTrip(socket, "hello from a served unix socket"));
            n.cancelScope().cancel();
        });
        assertFalse(Files.exists(socket), "the server closes its listeners, which deletes the socket file");
        assertThrows(ClosedResourceException.class, () -> l.accept());
    }
}
