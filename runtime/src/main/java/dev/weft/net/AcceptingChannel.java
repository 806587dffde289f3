package dev.weft.net;

import dev.weft.BusyResourceException;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The accept loop and the close of a listening {@link ServerSocketChannel}, shared by
 * {@link TcpListener} and {@link UnixListener}: one task accepts at a time, a closed
 * channel refuses every accept, and closing wakes a task blocked in accept with
 * {@link ClosedResourceException}.
 *
 * <p>Both fields are written and read by tasks of one run, on its thread.
 */
final class AcceptingChannel {
    private final ServerSocketChannel channel;
    /** Set by {@link #close()}. Invariant: once set, the channel is closed. */
    private boolean closed;
    /** Whether a task is inside {@link #accept(Object)}. */
    private boolean accepting;

    /** Wraps a bound channel and puts it in non-blocking mode. */
    AcceptingChannel(ServerSocketChannel channel) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        channel.configureBlocking(false);
    }

    ServerSocketChannel channel() {
        return channel;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Waits for a connection; a checkpoint, also when one is waiting already.
     *
     * @param owner the listener, named in error messages
     */
    @Async
    SocketStream accept(Object owner) throws IOException {
        if (closed) {
            throw new ClosedResourceException(owner + ": accept on a closed listener");
        }
        if (accepting) {
            throw new BusyResourceException(owner + ": another task is already accepting");
        }
        accepting = true;
        try {
            Weft.checkpointIfCancelled();
            while (true) {
                SocketChannel c = channel.accept();
                if (c != null) {
                    SocketStream s = wrap(c);
                    Weft.cancelShieldedCheckpoint();
                    return s;
                }
                Lowlevel.waitReadable(channel);
            }
        } catch (ClosedChannelException e) {
            throw new ClosedResourceException(owner + ": accept on a closed listener");
        } finally {
            accepting = false;
        }
    }

    /**
     * Accepts a connection that is waiting already, or returns null. Not a checkpoint.
     *
     * @param owner the listener, named in error messages
     */
    SocketStream tryAccept(Object owner) throws IOException {
        if (closed) {
            throw new ClosedResourceException(owner + ": accept on a closed listener");
        }
        if (accepting) {
            throw new BusyResourceException(owner + ": another task is already accepting");
        }
        SocketChannel c;
        try {
            c = channel.accept();
        } catch (ClosedChannelException e) {
            throw new ClosedResourceException(owner + ": accept on a closed listener");
        }
        return c == null ? null : wrap(c);
    }

    /** Wraps an accepted channel, closing it if that fails: it never reached a caller. */
    private static SocketStream wrap(SocketChannel c) throws IOException {
        try {
            return new SocketStream(c);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Closes the channel, waking a blocked accept. Not a checkpoint.
     *
     * @return true if this call closed it, false if it was closed already
     */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        Lowlevel.notifyClosing(channel);
        try {
            channel.close();
        } catch (IOException e) {
            // Closing releases the descriptor even when it reports an error; nothing is left to do.
        }
        return true;
    }
}
