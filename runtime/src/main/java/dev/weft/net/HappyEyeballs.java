package dev.weft.net;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.sync.Event;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Happy eyeballs (RFC 8305), the connecting half of {@link Net#openTcpStream}: Trio's
 * {@code open_tcp_stream} after name resolution. Generic over the socket type so that tests
 * can connect fake sockets on a mock clock.
 *
 * <h2>The algorithm</h2>
 * <ol>
 *   <li>The addresses are put in RFC 8305 §4 order with a "First Address Family Count" of
 *       one ({@link #interleave}): the first address's family, then the other, alternating,
 *       each family keeping its relative order.
 *   <li>Attempt 0 starts at once. Attempt {@code i + 1} starts when attempt {@code i} has
 *       failed or when the delay has passed since attempt {@code i} started, whichever comes
 *       first; attempts already started go on meanwhile.
 *   <li>The first attempt that connects wins: the nursery of attempts is cancelled, and every
 *       other socket is closed (also one that connected a moment later).
 *   <li>If every attempt fails, the failure that happened first is thrown, with the others
 *       suppressed in the order they happened.
 * </ol>
 * Every socket is made by the {@link SocketFactory} and held in {@link #open} from then on,
 * so that no path (a failed attempt, a lost race, a cancelled call) leaves one open.
 *
 * <p>All fields are written and read by the calling task and the attempts' tasks, on the
 * run's thread.
 *
 * @param <C> the socket type
 */
final class HappyEyeballs<C extends Closeable> {
    private final List<InetSocketAddress> targets;
    private final SocketFactory<C> factory;
    private final Connector<C> connector;
    private final Duration delay;
    /** Sockets made and not yet closed or handed out. Invariant: holds the winner until {@link #run()} returns it. */
    private final Set<C> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Each failed attempt's exception, in the order they failed. */
    private final List<IOException> failures = new ArrayList<>();
    /** The first socket that connected. Invariant: set at most once; then the nursery of attempts is cancelled. */
    private C winner;

    private HappyEyeballs(List<InetSocketAddress> targets, SocketFactory<C> factory, Connector<C> connector,
            Duration delay) {
        this.targets = targets;
        this.factory = factory;
        this.connector = connector;
        this.delay = delay;
    }

    /**
     * Resolves {@code host} and connects to {@code port} on the first of its addresses that
     * answers. A checkpoint if the resolver or an attempt is (the production ones are).
     *
     * @return the connected socket; the caller owns it
     * @throws IOException if the name does not resolve or resolves to no address, or if every
     *     attempt failed (the first failure, the others suppressed in order)
     * @throws dev.weft.Cancelled if the task is cancelled; every socket made is closed
     */
    @Async
    static <C extends Closeable> C connect(String host, int port, Duration delay, HostResolver resolver,
            SocketFactory<C> factory, Connector<C> connector) throws IOException {
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new IOException("'" + host + "' resolved to no address");
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        for (InetAddress a : interleave(addresses)) {
            targets.add(new InetSocketAddress(a, port));
        }
        return new HappyEyeballs<>(targets, factory, connector, delay).run();
    }

    /**
     * Orders {@code addresses} as RFC 8305 §4 with a First Address Family Count of one: the
     * first address, then the first of the other family, alternating while both families have
     * addresses left, then the rest of the longer family. Each family keeps its relative order.
     * For {@code [v6a, v6b, v4a, v4b]} that is {@code [v6a, v4a, v6b, v4b]}.
     *
     * @param addresses the resolver's answer, in its order of preference
     * @return a new list with the same addresses, interleaved
     */
    static List<InetAddress> interleave(List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        boolean firstIsV6 = addresses.get(0) instanceof Inet6Address;
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> other = new ArrayList<>();
        for (InetAddress a : addresses) {
            ((a instanceof Inet6Address) == firstIsV6 ? first : other).add(a);
        }
        List<InetAddress> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(first.size(), other.size()); i++) {
            if (i < first.size()) {
                out.add(first.get(i));
            }
            if (i < other.size()) {
                out.add(other.get(i));
            }
        }
        return out;
    }

    @Async
    private C run() throws IOException {
        try {
            Nursery.open(n -> {
                for (int i = 0; i < targets.size() && winner == null; i++) {
                    InetSocketAddress target = targets.get(i);
                    Event failed = new Event();
                    n.startSoon("connect " + target, () -> attempt(n, target, failed));
                    if (i + 1 < targets.size()) {
                        CancelScope.moveOnAfter(delay).run(() -> failed.await());
                    }
                }
            });
            if (winner == null) {
                throw failure();
            }
            C out = winner;
            open.remove(out);
            return out;
        } finally {
            for (C c : open) {
                closeQuietly(c);
            }
            open.clear();
        }
    }

    /** One attempt: makes the socket, connects it, and either wins or closes it. */
    @Async
    private void attempt(Nursery n, InetSocketAddress target, Event failed) {
        C socket = null;
        try {
            socket = factory.open(target);
            open.add(socket);
            connector.connect(socket, target);
        } catch (IOException e) {
            failures.add(e);
            if (socket != null) {
                open.remove(socket);
                closeQuietly(socket);
            }
            failed.set();
            return;
        }
        if (winner == null) {
            winner = socket;
            n.cancelScope().cancel("happy eyeballs: " + target + " connected first");
        } else {
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private IOException failure() {
        IOException first = failures.get(0);
        for (int k = 1; k < failures.size(); k++) {
            if (failures.get(k) != first) {
                first.addSuppressed(failures.get(k));
            }
        }
        return first;
    }

    /** Closes a socket no task waits on any more; a channel's selector registration goes first. */
    private static void closeQuietly(Closeable c) {
        if (c instanceof SelectableChannel ch) {
            Lowlevel.notifyClosing(ch);
        }
        try {
            c.close();
        } catch (IOException e) {
            // Closing releases the descriptor even when it reports an error; nothing is left to do.
        }
    }
}
