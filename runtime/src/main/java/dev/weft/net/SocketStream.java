package dev.weft.net;

import dev.weft.BrokenResourceException;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.BusyResourceException;
import dev.weft.stream.HalfCloseableStream;
import dev.weft.stream.ReceiveStream;
import dev.weft.stream.SendStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A connected TCP socket as a byte stream: Trio's {@code SocketStream}. It owns a
 * {@link SocketChannel} in non-blocking mode; a receive or send that cannot proceed waits for
 * readiness in the run's selector ({@link Lowlevel#waitReadable}/{@link Lowlevel#waitWritable}),
 * so only the calling task waits.
 * {@snippet :
 * SocketStream s = Net.openTcpStream("example.org", 80);
 * try {
 *     s.sendAll("HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
 *     s.sendEof();
 *     for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
 *         System.out.write(b, 0, b.length);
 *     }
 * } finally {
 *     s.close();
 * }
 * }
 *
 * <h2>Rules</h2>
 * The rules of {@link ReceiveStream} and {@link SendStream}: every receive and send is a
 * checkpoint; one receiving and one sending task at a time (a second gets
 * {@link BusyResourceException}); after {@link #close()} every operation throws
 * {@link ClosedResourceException}, also one blocked when another task closed the stream; a
 * socket error (a reset connection) is {@link BrokenResourceException} with the
 * {@link IOException} as cause. After {@link #sendEof()}, sends throw
 * {@link ClosedResourceException} and receives go on.
 *
 * <h2>Cancellation</h2>
 * A cancelled receive has received nothing. A cancelled send may have sent part of its bytes;
 * the stream stays usable.
 *
 * <p>New streams have {@code TCP_NODELAY} set, as in Trio. The stream's methods must be
 * called from tasks of one run.
 */
public final class SocketStream implements HalfCloseableStream {
    private final SocketChannel channel;

    // All fields below: written and read by tasks of the run, on its thread.

    /** Set by {@link #close()}. Invariant: once set, the channel is closed. */
    private boolean closed;
    /** Set by {@link #sendEof()}; sends then fail. */
    private boolean eofSent;
    /** Whether a task is inside a receive. */
    private boolean receiving;
    /** Whether a task is inside a send, {@link #sendEof()} or {@link #waitSendAllMightNotBlock()}. */
    private boolean sending;

    /**
     * Wraps a connected channel and puts it in non-blocking mode.
     *
     * @param channel a connected socket channel; the stream owns and closes it
     * @throws BrokenResourceException if the channel cannot be configured
     */
    public SocketStream(SocketChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
        try {
            channel.configureBlocking(false);
            if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) { // not on Unix domain sockets
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            throw new BrokenResourceException("could not configure " + channel + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the underlying channel, for socket options. Reading or writing it directly
     * bypasses the stream's rules. Not a checkpoint.
     *
     * @return the channel
     */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Returns the remote address of a TCP stream. Not a checkpoint.
     *
     * @return the peer's address
     * @throws ClosedResourceException if the stream is closed
     * @throws UnsupportedOperationException if this is a Unix domain stream, which has no IP
     *     address; {@code channel().getRemoteAddress()} gives its {@link java.net.UnixDomainSocketAddress}
     */
    public InetSocketAddress remoteAddress() {
        SocketAddress a;
        try {
            a = channel.getRemoteAddress();
        } catch (IOException e) {
            throw closedError("remoteAddress");
        }
        if (a instanceof InetSocketAddress inet) {
            return inet;
        }
        throw new UnsupportedOperationException(
                "SocketStream.remoteAddress(): a Unix domain stream has no IP address; use channel().getRemoteAddress()");
    }

    /**
     * Returns the local address of a TCP stream. Not a checkpoint.
     *
     * @return this end's address
     * @throws ClosedResourceException if the stream is closed
     * @throws UnsupportedOperationException if this is a Unix domain stream, which has no IP
     *     address; {@code channel().getLocalAddress()} gives its {@link java.net.UnixDomainSocketAddress}
     */
    public InetSocketAddress localAddress() {
        SocketAddress a;
        try {
            a = channel.getLocalAddress();
        } catch (IOException e) {
            throw closedError("localAddress");
        }
        if (a instanceof InetSocketAddress inet) {
            return inet;
        }
        throw new UnsupportedOperationException(
                "SocketStream.localAddress(): a Unix domain stream has no IP address; use channel().getLocalAddress()");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns -1 once the peer has sent its end of stream ({@link #sendEof()} or close).
     */
    @Async
    @Override
    public int receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (closed) {
            throw closedError("receive");
        }
        if (receiving) {
            throw new BusyResourceException(this + ": another task is already receiving from this stream");
        }
        receiving = true;
        try {
            Weft.checkpointIfCancelled();
            if (len == 0) {
                Weft.cancelShieldedCheckpoint();
                return 0;
            }
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            while (true) {
                int n = channel.read(b);
                if (n != 0) {
                    Weft.cancelShieldedCheckpoint();
                    return n;
                }
                Lowlevel.waitReadable(channel);
            }
        } catch (ClosedChannelException e) {
            throw closedError("receive");
        } catch (IOException e) {
            throw new BrokenResourceException(this + ": receive failed: " + e.getMessage(), e);
        } finally {
            receiving = false;
        }
    }

    @Async
    @Override
    public void sendAll(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        beginSend("sendAll");
        try {
            Weft.checkpointIfCancelled();
            ByteBuffer b = ByteBuffer.wrap(data, off, len);
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) {
                    Lowlevel.waitWritable(channel);
                }
            }
            Weft.cancelShieldedCheckpoint();
        } catch (ClosedChannelException e) {
            throw closedError("sendAll");
        } catch (IOException e) {
            throw new BrokenResourceException(this + ": send failed: " + e.getMessage(), e);
        } finally {
            sending = false;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits until the socket's send buffer has room.
     */
    @Async
    @Override
    public void waitSendAllMightNotBlock() {
        beginSend("waitSendAllMightNotBlock");
        try {
            Lowlevel.waitWritable(channel);
        } finally {
            sending = false;
        }
    }

    /**
     * Sends the end of the stream (a TCP FIN, {@link SocketChannel#shutdownOutput()}): the
     * peer's receives return the end of stream once they have the bytes sent before. Receives
     * on this stream go on. Idempotent. A checkpoint.
     *
     * @throws ClosedResourceException if the stream is closed
     * @throws BusyResourceException if another task is sending
     * @throws BrokenResourceException if the socket failed
     * @throws dev.weft.Cancelled if the task is cancelled; the end of stream is sent anyway
     */
    @Async
    @Override
    public void sendEof() {
        if (closed) {
            throw closedError("sendEof");
        }
        if (sending) {
            throw new BusyResourceException(this + ": another task is sending on this stream");
        }
        if (!eofSent) {
            eofSent = true;
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                throw new BrokenResourceException(this + ": sendEof failed: " + e.getMessage(), e);
            }
        }
        Weft.checkpoint();
    }

    /**
     * Closes the socket. Tasks blocked in a receive or send on it get
     * {@link ClosedResourceException}. Idempotent; see {@link dev.weft.stream.AsyncResource#close()}.
     * A checkpoint.
     *
     * @throws dev.weft.Cancelled if the task is cancelled; the socket is closed anyway
     */
    @Async
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Lowlevel.notifyClosing(channel);
            try {
                channel.close();
            } catch (IOException e) {
                // Closing releases the descriptor even when it reports an error; nothing is left to do.
            }
        }
        Weft.checkpoint();
    }

    @Override
    public String toString() {
        String where;
        try {
            where = channel.getLocalAddress() + " -> " + channel.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            where = "closed";
        }
        return "SocketStream[" + where + "]";
    }

    private void beginSend(String what) {
        if (closed) {
            throw closedError(what);
        }
        if (eofSent) {
            throw new ClosedResourceException(this + ": " + what + " after sendEof(): the sending side is closed");
        }
        if (sending) {
            throw new BusyResourceException(this + ": another task is already sending on this stream");
        }
        sending = true;
    }

    private ClosedResourceException closedError(String what) {
        return new ClosedResourceException("SocketStream: " + what + " on a closed stream");
    }
}
