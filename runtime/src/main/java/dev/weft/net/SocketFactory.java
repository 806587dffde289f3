package dev.weft.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Makes the socket of one {@link HappyEyeballs} attempt, not yet connected: the first half of
 * an attempt, so that the attempts' owner holds every socket from birth and can close it
 * whatever happens to the attempt (Trio's {@code open_sockets}).
 *
 * @param <C> the socket type
 */
@FunctionalInterface
interface SocketFactory<C extends Closeable> {
    /**
     * Makes (and, if asked, binds) a socket that can connect to {@code target}. Not a
     * checkpoint.
     *
     * @param target where the attempt will connect
     * @return the socket; the caller owns it
     * @throws IOException if the socket cannot be made or bound; nothing is left open
     */
    C open(InetSocketAddress target) throws IOException;
}
