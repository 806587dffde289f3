package dev.weft.net;

import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.stream.Listener;
import dev.weft.BusyResourceException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening TCP socket that accepts connections as {@link SocketStream}s: Trio's
 * {@code SocketListener}. Made by {@link Net#openTcpListeners}; owns a
 * {@link ServerSocketChannel} in non-blocking mode.
 * {@snippet :
 * TcpListener l = Net.openTcpListeners(0).get(0);
 * int port = l.localAddress().getPort();
 * SocketStream s = l.accept();
 * }
 *
 * <p>One task at a time may accept; a second gets {@link BusyResourceException}. After
 * {@link #close()}, accepts throw {@link ClosedResourceException}, also one blocked when
 * another task closed the listener. The listener's methods must be called from tasks of one
 * run.
 */
public final class TcpListener implements Listener<SocketStream> {
    private final AcceptingChannel acceptor;
    private final ServerSocketChannel channel;

    /**
     * Wraps a bound server channel and puts it in non-blocking mode.
     *
     * @param channel a bound channel; the listener owns and closes it
     * @throws IOException if the channel cannot be configured
     */
    public TcpListener(ServerSocketChannel channel) throws IOException {
        this.acceptor = new AcceptingChannel(channel);
        this.channel = channel;
    }

    /**
     * Returns the underlying channel, for socket options (such as
     * {@link java.net.StandardSocketOptions#SO_REUSEADDR}, which {@link Net} sets). Accepting
     * from it directly bypasses the listener's rules. Not a checkpoint.
     *
     * @return the channel
     */
    public ServerSocketChannel channel() {
        return channel;
    }

    /**
     * Returns the address the listener is bound to (with the port the system chose, for
     * port 0). Not a checkpoint.
     *
     * @return the local address
     * @throws ClosedResourceException if the listener is closed
     */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new ClosedResourceException("TcpListener: localAddress of a closed listener");
        }
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
     * Closes the listener; a task blocked in {@link #accept()} gets
     * {@link ClosedResourceException}. Idempotent. A checkpoint.
     *
     * @throws dev.weft.Cancelled if the task is cancelled; the listener is closed anyway
     */
    @Async
    @Override
    public void close() {
        acceptor.close();
        Weft.checkpoint();
    }

    /** {@link #close()} without its checkpoint, for cleanup that must not be cancelled. */
    void closeChannelOnly() {
        acceptor.close();
    }

    @Override
    public String toString() {
        String where;
        try {
            where = String.valueOf(channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            where = "closed";
        }
        return "TcpListener[" + where + "]";
    }
}
