package dev.weft.stream;

import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SocketStream;
import dev.weft.net.UnixListener;
import dev.weft.testing.StreamChecks;
import dev.weft.testing.StreamPair;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Unix domain stream sockets through the stream interfaces: the half-closeable conformance
 * checks, each pair made through a fresh listener on a socket file under {@code /tmp} (Unix
 * socket paths are limited to about 100 bytes). The run waits for real I/O.
 */
class UnixStreamChecksTest {

    private Path dir;
    private int pairs;

    @BeforeEach
    void makeDirectory() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "w");
    }

    @AfterEach
    void removeDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** A connected pair {@code (client, server)}; the listener is closed (and its file removed) at once. */
    @Async
    StreamPair<SocketStream, SocketStream> unixPair() throws IOException {
        Path socket = dir.resolve("s" + pairs++);
        Listener<SocketStream> l = Net.openUnixListener(socket);
        try {
            SocketStream client = Net.openUnixStream(socket);
            SocketStream server = l.accept();
            return new StreamPair<>(client, server);
        } finally {
            l.close();
        }
    }

    @WeftTest
    @Async
    void unixStream_passesHalfCloseableChecks() throws Exception {
        StreamChecks.checkHalfCloseableStream(this::unixPair);
    }
}
