package dev.weft.net;

import dev.weft.BrokenResourceException;
import dev.weft.BusyResourceException;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.stream.AsyncResource;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP socket that sends and receives datagrams: the Weft form of
 * {@link java.net.DatagramSocket}. Made by {@link Net#openUdpSocket}; owns a
 * {@link DatagramChannel} in non-blocking mode. A send or receive that cannot proceed waits
 * for readiness in the run's selector ({@link Lowlevel#waitReadable}/
 * {@link Lowlevel#waitWritable}), so only the calling task waits.
 * {@snippet :
 * UdpSocket a = Net.openUdpSocket(new InetSocketAddress("127.0.0.1", 0));
 * UdpSocket b = Net.openUdpSocket(new InetSocketAddress("127.0.0.1", 0));
 * a.send("ping".getBytes(StandardCharsets.US_ASCII), b.localAddress());
 * Datagram d = b.receive(1500);   // d.sender() is a's address
 * b.send("pong".getBytes(StandardCharsets.US_ASCII), d.sender());
 * }
 *
 * <h2>Rules</h2>
 * Every send and receive is a checkpoint. One receiving task and one sending task at a time;
 * a second gets {@link BusyResourceException}. After {@link #close()} every operation throws
 * {@link ClosedResourceException}, also one blocked when another task closed the socket. A
 * socket error (such as {@link java.net.PortUnreachableException} on a connected socket) is
 * {@link BrokenResourceException} with the {@link IOException} as cause; the socket stays
 * usable.
 *
 * <h2>Cancellation</h2>
 * A cancelled receive has received nothing: the datagram stays queued for the next receive.
 * A cancelled send has sent nothing (a datagram is sent whole or not at all).
 *
 * <p>UDP keeps datagram boundaries but not their order, and may drop them; nothing here
 * changes that. The socket's methods must be called from tasks of one run.
 */
public final class UdpSocket implements AsyncResource {
    private final DatagramChannel channel;

    // All fields below: written and read by tasks of the run, on its thread.

    /** Set by {@link #close()}. Invariant: once set, the channel is closed. */
    private boolean closed;
    /** Whether a task is inside {@link #receive(int)}. */
    private boolean receiving;
    /** Whether a task is inside a send. */
    private boolean sending;

    /**
     * Wraps a channel and puts it in non-blocking mode. The channel may be bound, unbound
     * (it is then bound on its first send) or connected.
     *
     * @param channel an open datagram channel; the socket owns and closes it
     * @throws BrokenResourceException if the channel cannot be configured
     */
    public UdpSocket(DatagramChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new BrokenResourceException("could not configure " + channel + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the underlying channel, for socket options. Reading or writing it directly
     * bypasses the socket's rules. Not a checkpoint.
     *
     * @return the channel
     */
    public DatagramChannel channel() {
        return channel;
    }

    /**
     * Returns the address the socket is bound to. Not a checkpoint.
     *
     * @return the local address, or null if the socket is not bound yet
     * @throws ClosedResourceException if the socket is closed
     */
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw closedError("localAddress");
        }
    }

    /**
     * Returns the address the socket is connected to. Not a checkpoint.
     *
     * @return the peer's address, or null if the socket is not connected
     * @throws ClosedResourceException if the socket is closed
     */
    public SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            throw closedError("remoteAddress");
        }
    }

    /**
     * Connects the socket to {@code peer}: from then on it receives datagrams only from
     * {@code peer}, and {@link #send(byte[])} sends to it. Nothing goes over the network, so
     * this does not block; not a checkpoint.
     *
     * @param peer the address to connect to
     * @throws ClosedResourceException if the socket is closed
     * @throws BusyResourceException if a task is sending or receiving
     * @throws BrokenResourceException if connecting fails (an unresolved address, for example)
     */
    public void connect(SocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        if (closed) {
            throw closedError("connect");
        }
        if (receiving || sending) {
            throw new BusyResourceException(this + ": connect while a task is "
                    + (receiving ? "receiving" : "sending"));
        }
        try {
            channel.connect(peer);
        } catch (ClosedChannelException e) {
            throw closedError("connect");
        } catch (IOException e) {
            throw new BrokenResourceException(this + ": connect to " + peer + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends the remaining bytes of {@code data} as one datagram to {@code target}, waiting
     * while the socket's send buffer is full. A checkpoint. On return the buffer's position
     * is at its limit.
     *
     * @param data the datagram's bytes
     * @param target where to send it; if the socket is connected, its peer
     * @throws ClosedResourceException if the socket is closed (also by another task meanwhile)
     * @throws BusyResourceException if another task is sending
     * @throws IllegalArgumentException if the socket is connected to another address than
     *     {@code target}
     * @throws BrokenResourceException if sending fails (a datagram too large, for example)
     * @throws dev.weft.Cancelled if the task is cancelled; nothing was sent
     */
    @Async
    public void send(ByteBuffer data, SocketAddress target) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(target, "target");
        beginSend("send");
        try {
            Weft.checkpointIfCancelled();
            while (channel.send(data, target) == 0 && data.hasRemaining()) {
                Lowlevel.waitWritable(channel);
            }
            Weft.cancelShieldedCheckpoint();
        } catch (AlreadyConnectedException e) {
            throw new IllegalArgumentException(this + ": send to " + target
                    + ", but the socket is connected to another address", e);
        } catch (ClosedChannelException e) {
            throw closedError("send");
        } catch (IOException e) {
            throw new BrokenResourceException(this + ": send to " + target + " failed: " + e.getMessage(), e);
        } finally {
            sending = false;
        }
    }

    /**
     * Sends {@code data} as one datagram to {@code target}; see
     * {@link #send(ByteBuffer, SocketAddress)}. A checkpoint.
     *
     * @param data the datagram's bytes
     * @param target where to send it
     * @throws ClosedResourceException if the socket is closed (also by another task meanwhile)
     * @throws BusyResourceException if another task is sending
     * @throws IllegalArgumentException if the socket is connected to another address
     * @throws BrokenResourceException if sending fails
     * @throws dev.weft.Cancelled if the task is cancelled; nothing was sent
     */
    @Async
    public void send(byte[] data, SocketAddress target) {
        send(ByteBuffer.wrap(data), target);
    }

    /**
     * Sends {@code data} as one datagram to the peer of a connected socket; see
     * {@link #connect}. A checkpoint.
     *
     * @param data the datagram's bytes
     * @throws IllegalStateException if the socket is not connected
     * @throws ClosedResourceException if the socket is closed (also by another task meanwhile)
     * @throws BusyResourceException if another task is sending
     * @throws BrokenResourceException if sending fails ({@link java.net.PortUnreachableException}
     *     for an earlier datagram, for example)
     * @throws dev.weft.Cancelled if the task is cancelled; nothing was sent
     */
    @Async
    public void send(byte[] data) {
        Objects.requireNonNull(data, "data");
        beginSend("send");
        try {
            Weft.checkpointIfCancelled();
            ByteBuffer b = ByteBuffer.wrap(data);
            while (channel.write(b) == 0 && b.hasRemaining()) {
                Lowlevel.waitWritable(channel);
            }
            Weft.cancelShieldedCheckpoint();
        } catch (NotYetConnectedException e) {
            throw new IllegalStateException(this + ": send without a target on a socket that is not connected", e);
        } catch (ClosedChannelException e) {
            throw closedError("send");
        } catch (IOException e) {
            throw new BrokenResourceException(this + ": send failed: " + e.getMessage(), e);
        } finally {
            sending = false;
        }
    }

    /**
     * Waits for a datagram and returns it. A checkpoint, also when a datagram is waiting
     * already. A datagram longer than {@code maxBytes} is cut to its first {@code maxBytes}
     * bytes, and the rest is lost, as with {@link java.net.DatagramSocket}.
     *
     * @param maxBytes the most bytes to return, at least 1
     * @return the datagram, with its sender
     * @throws IllegalArgumentException if {@code maxBytes} is less than 1
     * @throws ClosedResourceException if the socket is closed (also by another task meanwhile)
     * @throws BusyResourceException if another task is receiving
     * @throws BrokenResourceException if the socket reports an error
     *     ({@link java.net.PortUnreachableException} on a connected socket, for example)
     * @throws dev.weft.Cancelled if the task is cancelled; nothing was received
     */
    @Async
    public Datagram receive(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
        }
        if (closed) {
            throw closedError("receive");
        }
        if (receiving) {
            throw new BusyResourceException(this + ": another task is already receiving on this socket");
        }
        receiving = true;
        try {
            Weft.checkpointIfCancelled();
            ByteBuffer b = ByteBuffer.allocate(maxBytes);
            while (true) {
                SocketAddress sender = channel.receive(b);
                if (sender != null) {
                    Weft.cancelShieldedCheckpoint();
                    return new Datagram(Arrays.copyOf(b.array(), b.position()), sender);
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

    /**
     * Closes the socket. Tasks blocked in a send or receive on it get
     * {@link ClosedResourceException}. Idempotent. A checkpoint.
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
            SocketAddress remote = channel.getRemoteAddress();
            where = channel.getLocalAddress() + (remote == null ? "" : " -> " + remote);
        } catch (IOException | RuntimeException e) {
            where = "closed";
        }
        return "UdpSocket[" + where + "]";
    }

    private void beginSend(String what) {
        if (closed) {
            throw closedError(what);
        }
        if (sending) {
            throw new BusyResourceException(this + ": another task is already sending on this socket");
        }
        sending = true;
    }

    private ClosedResourceException closedError(String what) {
        return new ClosedResourceException("UdpSocket: " + what + " on a closed socket");
    }
}
