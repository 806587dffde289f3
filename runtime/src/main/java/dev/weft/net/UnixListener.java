package dev.weft.net;

import dev.weft.BusyResourceException;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.Listener;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A listening Unix domain stream socket that accepts connections as {@link SocketStream}s.
 * Made by {@link Net#openUnixListener}; owns a {@link ServerSocketChannel} of the
 * {@link java.net.StandardProtocolFamily#UNIX} family in non-blocking mode, and the socket
 * file that binding it made.
 * {@snippet :
 * UnixListener l = Net.openUnixListener(Path.of("/tmp/app.sock"));
 * try {
 *     SocketStream s = l.accept();   // a client called Net.openUnixStream(Path.of("/tmp/app.sock"))
 *     ...
 * } finally {
 *     l.close();                     // also deletes /tmp/app.sock
 * }
 * }
 *
 * <p>One task at a time may accept; a second gets {@link BusyResourceException}. After
 * {@link #close()}, accepts throw {@link ClosedResourceException}, also one blocked when
 * another task closed the listener. The accepted streams follow {@link SocketStream}'s rules,
 * except that their {@code localAddress()}/{@code remoteAddress()} throw
 * {@link UnsupportedOperationException} (a Unix socket has no
 * {@link java.net.InetSocketAddress}); use {@code channel().getRemoteAddress()} instead. The
 * listener's methods must be called from tasks of one run.
 */
public final class UnixListener implements Listener<SocketStream> {
    private final AcceptingChannel acceptor;
    private final Path path;

    /**
     * Wraps a server channel bound to {@code path} and puts it in non-blocking mode.
     *
     * @param channel a Unix domain server channel bound to {@code path}; the listener owns
     *     and closes it
     * @param path the socket file; the listener deletes it when it closes
     * @throws IOException if the channel cannot be configured
     */
    UnixListener(ServerSocketChannel channel, Path path) throws IOException {
        this.acceptor = new AcceptingChannel(channel);
        this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * Returns the path of the socket file the listener is bound to. Not a checkpoint.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Waits for a connection and returns it as a stream. A checkpoint, also when a connection
     * is waiting already; a cancelled accept has accepted nothing.
     *
     * @return the new connection; the caller owns it and must close it
     * @throws ClosedResourceException if the listener is closed (also by another task meanwhile)
     * @throws BusyResourceException if another task is accepting
     * @throws IOException if accepting fails (too many open files, for example)
     * @throws dev.weft.Cancelled if the task is cancelled
     */
    @Async
    @Override
    public SocketStream accept() throws IOException {
        return acceptor.accept(this);
    }

    /**
     * Returns a connection that is waiting already, or null; see {@link Listener#tryAccept()}.
     * Not a checkpoint.
     *
     * @return the new connection, which the caller owns, or null
     * @throws ClosedResourceException if the listener is closed
     * @throws BusyResourceException if another task is accepting
     * @throws IOException if accepting fails (too many open files, for example)
     */
    @Async
    @Override
    public SocketStream tryAccept() throws IOException {
        return acceptor.tryAccept(this);
    }

    /**
     * Closes the listener and deletes its socket file; a task blocked in {@link #accept()}
     * gets {@link ClosedResourceException}. Streams accepted before stay open. Idempotent. A
     * checkpoint.
     *
     * @throws dev.weft.Cancelled if the task is cancelled; the listener is closed anyway
     */
    @Async
    @Override
    public void close() {
        if (acceptor.close()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // The file is left behind (its directory became read-only, for example); binding the path again fails until it is removed.
            }
        }
        Weft.checkpoint();
    }

    @Override
    public String toString() {
        return "UnixListener[" + path + (acceptor.isClosed() ? ", closed" : "") + "]";
    }
}
