package dev.weft.net;

import dev.weft.annotation.Async;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Connects the socket of one {@link HappyEyeballs} attempt: the second half of an attempt,
 * after {@link SocketFactory#open}. It never closes the socket: its caller does, on failure,
 * on cancellation, and when another attempt won.
 *
 * @param <C> the socket type
 */
@FunctionalInterface
interface Connector<C extends Closeable> {
    /**
     * Connects {@code socket} to {@code target}. A checkpoint.
     *
     * @param socket a socket made by the attempt's {@link SocketFactory}
     * @param target where to connect
     * @throws IOException if connecting fails
     * @throws dev.weft.Cancelled if the attempt is cancelled
     */
    @Async
    void connect(C socket, InetSocketAddress target) throws IOException;
}
