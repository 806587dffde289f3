package dev.weft.net;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.TaskStatus;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.stream.AsyncResource;
import dev.weft.stream.Listener;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Network entry points: Trio's {@code open_tcp_stream}, {@code open_tcp_listeners},
 * {@code serve_listeners} and {@code serve_tcp}, UDP sockets and Unix domain stream sockets.
 * Each call makes a resource the caller owns ({@link SocketStream}, {@link TcpListener},
 * {@link UdpSocket}, {@link UnixListener}), or serves listeners until it is cancelled.
 * {@snippet :
 * Nursery.open(n -> {
 *     List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", Echo::serve, status));
 *     SocketStream c = Net.openTcpStream("127.0.0.1", ls.get(0).localAddress().getPort());
 *     ...
 *     n.cancelScope().cancel();     // stops the server: closes its listeners and connections
 * });
 * }
 *
 * <h2>Connecting</h2>
 * {@link #openTcpStream(String, int, InetAddress, Duration)} resolves the host on a worker
 * thread, then tries its addresses with "happy eyeballs" (RFC 8305): the addresses are
 * ordered with the families interleaved (§4: the first address's family, then the other,
 * alternating); the first attempt starts at once, and each next one when the one before
 * has failed or when {@link #HAPPY_EYEBALLS_DELAY} (or the given delay) has passed,
 * whichever is first. The first connection wins; the other attempts are cancelled and every
 * other socket is closed. If all fail, the first failure is thrown with the others
 * suppressed. Each attempt's socket can be bound to a local address first.
 *
 * <h2>Listening</h2>
 * {@link #openTcpListeners(int)} opens one listener on the wildcard address. Trio opens one
 * socket per address family, with {@code IPV6_V6ONLY} set on the IPv6 one; Java cannot set
 * {@code IPV6_V6ONLY} (the JDK clears it on every IPv6 socket), so a socket bound to the IPv6
 * wildcard {@code ::} takes IPv4 connections too, and a second socket for IPv4 on the same
 * port would fail to bind. So: one dual-stack IPv6 socket when the JDK has IPv6, one IPv4
 * socket otherwise (as with {@code -Djava.net.preferIPv4Stack=true}). Every listener has
 * {@code SO_REUSEADDR} set, as in Trio on Unix: a server can listen again on its port at once
 * after a restart, although connections of the old one linger in {@code TIME_WAIT}.
 *
 * <h2>Serving</h2>
 * {@link #serveListeners} accepts from any {@link Listener}s (TCP, Unix, or a listener that
 * wraps them, such as TLS) and runs a {@link ConnectionHandler} for each connection in its
 * own task. Accept failures that mean the process is out of a resource (too many open files,
 * no buffer space, no memory) are logged to the {@link System.Logger} {@code "dev.weft.net"}
 * and retried after {@link #ACCEPT_RETRY_DELAY}, as Trio does: the server survives a
 * descriptor shortage. Any other accept failure ends the server.
 *
 * <p>The {@code @Async} methods must be called from a task of a run. The others (they open
 * listeners and sockets) may be called anywhere, but what they return must be used by tasks
 * of one run.
 */
public final class Net {

    /** How long an attempt has before the next address is tried too: 250 ms, as RFC 8305 advises. */
    public static final Duration HAPPY_EYEBALLS_DELAY = Duration.ofMillis(250);

    /** How long an accept loop waits after an accept failed for lack of a resource: 100 ms, as Trio. */
    public static final Duration ACCEPT_RETRY_DELAY = Duration.ofMillis(100);

    /** The listen backlog unless one is given; the system caps it (Linux: {@code net.core.somaxconn}). */
    public static final int DEFAULT_BACKLOG = 4096;

    /**
     * How many waiting connections an accept loop of {@link #serveListeners} takes with
     * {@link Listener#tryAccept()} after each {@link Listener#accept()}, before its next
     * checkpoint: 100.
     */
    public static final int ACCEPT_BURST = 100;

    private static final System.Logger LOGGER = System.getLogger("dev.weft.net");

    /** The words of the messages of EMFILE/ENFILE, ENOBUFS and ENOMEM: Trio's {@code ACCEPT_CAPACITY_ERRNOS}. */
    private static final List<String> OUT_OF_RESOURCES = List.of(
            "Too many open files", "No buffer space available", "Cannot allocate memory");

    private Net() {
    }

    // ---------------------------------------------------------------- connecting

    /**
     * Connects to {@code host}:{@code port} over TCP with happy eyeballs and the default delay
     * ({@link #HAPPY_EYEBALLS_DELAY}); see
     * {@link #openTcpStream(String, int, InetAddress, Duration)}. A checkpoint.
     *
     * @param host a name or address literal
     * @param port the port, 1 to 65535
     * @return the connected stream, with {@code TCP_NODELAY} set; the caller owns it and must
     *     close it
     * @throws IOException if the name does not resolve ({@link java.net.UnknownHostException}),
     *     or if every attempt fails: the failure that happened first (such as
     *     {@link java.net.ConnectException} when the connection is refused), with the others
     *     suppressed in order
     * @throws IllegalArgumentException if the port is out of range
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     */
    @Async
    public static SocketStream openTcpStream(String host, int port) throws IOException {
        return openTcpStream(host, port, null, HAPPY_EYEBALLS_DELAY);
    }

    /**
     * Connects to {@code host}:{@code port} over TCP from {@code localAddress}; see
     * {@link #openTcpStream(String, int, InetAddress, Duration)}. A checkpoint.
     *
     * @param host a name or address literal
     * @param port the port, 1 to 65535
     * @param localAddress the local address each attempt's socket is bound to (with a port
     *     the system chooses), or null for the system's choice
     * @return the connected stream; the caller owns it and must close it
     * @throws IOException as {@link #openTcpStream(String, int)}; an attempt whose address
     *     family differs from {@code localAddress}'s, or whose bind fails, fails
     * @throws IllegalArgumentException if the port is out of range
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     */
    @Async
    public static SocketStream openTcpStream(String host, int port, InetAddress localAddress) throws IOException {
        return openTcpStream(host, port, localAddress, HAPPY_EYEBALLS_DELAY);
    }

    /**
     * Connects to {@code host}:{@code port} over TCP: Trio's {@code open_tcp_stream}. A
     * checkpoint.
     *
     * <p>Resolves {@code host} on a worker thread and orders its addresses with the families
     * interleaved (RFC 8305 §4). Attempt {@code i + 1} starts when attempt {@code i} has
     * failed or {@code happyEyeballsDelay} after it started, whichever is first. The first
     * attempt that connects wins: the others are cancelled and their sockets closed.
     *
     * @param host a name or address literal
     * @param port the port, 1 to 65535
     * @param localAddress the local address each attempt's socket is bound to (with a port
     *     the system chooses) before it connects, or null for the system's choice
     * @param happyEyeballsDelay how long an attempt has before the next one starts beside it;
     *     zero starts every attempt at once
     * @return the connected stream, with {@code TCP_NODELAY} set; the caller owns it and must
     *     close it
     * @throws IOException if the name does not resolve ({@link java.net.UnknownHostException}),
     *     or if every attempt fails: the failure that happened first (such as
     *     {@link java.net.ConnectException} when the connection is refused), with the others
     *     suppressed in the order they happened. With {@code localAddress}, an attempt to an
     *     address of the other family fails with a {@link java.net.SocketException}, and one
     *     whose bind fails with a {@link java.net.BindException}.
     * @throws IllegalArgumentException if the port is out of range or the delay is negative
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     * @implNote Trio sets {@code IP_BIND_ADDRESS_NO_PORT} before binding to a local address,
     *     so that the port is chosen at connect time; Java has no such option, so each bound
     *     attempt reserves an ephemeral port of its own.
     */
    @Async
    public static SocketStream openTcpStream(String host, int port, InetAddress localAddress,
            Duration happyEyeballsDelay) throws IOException {
        SocketChannel ch = openTcpStream(host, port, happyEyeballsDelay,
                h -> List.of(resolve(h)), tcpSockets(localAddress), Net::connect);
        try {
            return new SocketStream(ch);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * {@link #openTcpStream(String, int, InetAddress, Duration)} with its resolver and its
     * sockets given: the test seam for happy eyeballs (fake addresses, fake connect delays on a
     * mock clock). A checkpoint if the resolver or the connector is.
     *
     * @param resolver turns {@code host} into addresses
     * @param factory makes each attempt's socket, unconnected
     * @param connector connects an attempt's socket
     * @param <C> the socket type
     * @return the winning socket, connected; the caller owns it
     */
    @Async
    static <C extends java.io.Closeable> C openTcpStream(String host, int port, Duration happyEyeballsDelay,
            HostResolver resolver, SocketFactory<C> factory, Connector<C> connector) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(happyEyeballsDelay, "happyEyeballsDelay");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        if (happyEyeballsDelay.isNegative()) {
            throw new IllegalArgumentException("happyEyeballsDelay must be >= 0, was " + happyEyeballsDelay);
        }
        return HappyEyeballs.connect(host, port, happyEyeballsDelay, resolver, factory, connector);
    }

    // ---------------------------------------------------------------- listening

    /**
     * Opens a TCP listener on every local address, IPv4 and IPv6, on {@code port} (0: a port
     * the system chooses), with the {@link #DEFAULT_BACKLOG}. Not a checkpoint.
     *
     * @param port the port, 0 to 65535
     * @return one listener (see "Listening" above for why one); the caller owns it and must
     *     close it
     * @throws IOException if binding fails (the port is in use, for example)
     * @throws IllegalArgumentException if the port is out of range
     */
    public static List<TcpListener> openTcpListeners(int port) throws IOException {
        return openTcpListeners(port, DEFAULT_BACKLOG);
    }

    /**
     * Opens a TCP listener on every local address, IPv4 and IPv6, on {@code port}: one
     * dual-stack socket bound to the IPv6 wildcard when the JDK has IPv6, else one bound to
     * the IPv4 wildcard (see "Listening" above). {@code SO_REUSEADDR} is set. Not a checkpoint.
     *
     * @param port the port, 0 to 65535 (0: a port the system chooses)
     * @param backlog how many connections may wait to be accepted; the system may cap it
     * @return one listener; the caller owns it and must close it
     * @throws IOException if binding fails (the port is in use, for example)
     * @throws IllegalArgumentException if the port is out of range or the backlog is not positive
     */
    public static List<TcpListener> openTcpListeners(int port, int backlog) throws IOException {
        checkListenPort(port);
        checkBacklog(backlog);
        ServerSocketChannel ch;
        InetAddress wildcard;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.INET6);
            wildcard = InetAddress.getByAddress(new byte[16]);
        } catch (UnsupportedOperationException noIpv6) {
            ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
            wildcard = InetAddress.getByAddress(new byte[4]);
        }
        return List.of(listen(ch, new InetSocketAddress(wildcard, port), backlog));
    }

    /**
     * Opens one TCP listener for each address of {@code host}, on {@code port}, with the
     * {@link #DEFAULT_BACKLOG}; see {@link #openTcpListeners(int, String, int)}. A checkpoint.
     *
     * @param port the port, 0 to 65535
     * @param host a local name or address literal, such as {@code "127.0.0.1"}
     * @return the listeners; the caller owns them and must close them
     * @throws IOException if the name does not resolve or binding fails; listeners opened
     *     before the failure are closed
     * @throws IllegalArgumentException if the port is out of range
     * @throws dev.weft.Cancelled if the task is cancelled while the name resolves
     */
    @Async
    public static List<TcpListener> openTcpListeners(int port, String host) throws IOException {
        return openTcpListeners(port, host, DEFAULT_BACKLOG);
    }

    /**
     * Opens one TCP listener for each address of {@code host}, on {@code port}, each with
     * {@code SO_REUSEADDR} set. A checkpoint (the name is resolved on a worker thread).
     *
     * @param port the port, 0 to 65535; with 0 and several addresses, each listener gets its
     *     own port
     * @param host a local name or address literal, such as {@code "127.0.0.1"}
     * @param backlog how many connections may wait to be accepted; the system may cap it
     * @return the listeners, in the resolver's order; the caller owns them and must close them
     * @throws IOException if the name does not resolve or binding fails; listeners opened
     *     before the failure are closed
     * @throws IllegalArgumentException if the port is out of range or the backlog is not positive
     * @throws dev.weft.Cancelled if the task is cancelled while the name resolves
     */
    @Async
    public static List<TcpListener> openTcpListeners(int port, String host, int backlog) throws IOException {
        Objects.requireNonNull(host, "host");
        checkListenPort(port);
        checkBacklog(backlog);
        InetAddress[] addresses = resolve(host);
        List<TcpListener> out = new ArrayList<>();
        try {
            for (InetAddress a : addresses) {
                out.add(listen(ServerSocketChannel.open(a instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET),
                        new InetSocketAddress(a, port), backlog));
            }
        } catch (IOException | RuntimeException e) {
            for (TcpListener l : out) {
                l.closeChannelOnly();
            }
            throw e;
        }
        return out;
    }

    // ---------------------------------------------------------------- serving

    /**
     * Serves TCP on {@code port} of {@code host} until cancelled: Trio's {@code serve_tcp}.
     * Opens the listeners ({@link #openTcpListeners(int, String)}) and serves them
     * ({@link #serveListeners}). Reports the listeners through {@code status}, so that
     * {@code n.start(...)} returns once the server listens. Never returns normally; cancel its
     * scope to stop it, which closes the listeners and cancels the handlers. A checkpoint.
     * {@snippet :
     * List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", s -> echo(s), status));
     * }
     *
     * @param port the port, 0 to 65535
     * @param host a local name or address, such as {@code "127.0.0.1"}
     * @param handler what serves each connection; the server closes the stream after it
     * @param status receives the listeners once they listen, or null
     * @throws IOException if listening fails
     * @throws dev.weft.FailureGroup if a handler or an accept failed
     * @throws dev.weft.Cancelled when cancelled
     */
    @Async
    public static void serveTcp(int port, String host, ConnectionHandler<SocketStream> handler,
            TaskStatus<List<TcpListener>> status) throws IOException {
        Objects.requireNonNull(handler, "handler");
        serveListeners(openTcpListeners(port, host), handler, status);
    }

    /**
     * {@link #serveTcp(int, String, ConnectionHandler, TaskStatus)} on every local address,
     * IPv4 and IPv6 ({@link #openTcpListeners(int)}). A checkpoint.
     *
     * @param port the port, 0 to 65535
     * @param handler what serves each connection; the server closes the stream after it
     * @throws IOException if listening fails
     * @throws dev.weft.FailureGroup if a handler or an accept failed
     * @throws dev.weft.Cancelled when cancelled
     */
    @Async
    public static void serveTcp(int port, ConnectionHandler<SocketStream> handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        serveListeners(openTcpListeners(port), handler, null);
    }

    /**
     * Serves connections from {@code listeners} until cancelled: Trio's
     * {@code serve_listeners}. One task per listener accepts in a loop, and each connection
     * gets a task of its own that runs {@code handler} and then closes the connection
     * forcefully (in a cancelled, shielded scope, as Trio's {@code aclose_forcefully}). After
     * each accept, a loop takes up to {@link #ACCEPT_BURST} connections that are waiting
     * already ({@link Listener#tryAccept()}) before its next checkpoint, so a server whose
     * connections keep the run busy still accepts new ones quickly.
     * Takes ownership of the listeners: when the server ends, each is closed with its own
     * {@code close()} in a shielded scope. A checkpoint; never returns normally.
     *
     * <p>An accept that fails with an {@link IOException} saying the process is out of a
     * resource ("Too many open files", "No buffer space available", "Cannot allocate memory":
     * EMFILE, ENFILE, ENOBUFS, ENOMEM) is logged at {@code ERROR} to the
     * {@link System.Logger} {@code "dev.weft.net"} and retried after
     * {@link #ACCEPT_RETRY_DELAY}; the server goes on. Any other accept failure ends it.
     *
     * @param listeners the listeners, such as {@link TcpListener}s, {@link UnixListener}s or
     *     listeners that wrap them
     * @param handler what serves each connection
     * @param status receives the listeners once the accept loops have started, or null
     * @param <S> what each connection is
     * @param <L> the listener type
     * @throws IllegalArgumentException if {@code listeners} is empty
     * @throws dev.weft.FailureGroup if a handler failed, or an accept failed for another
     *     reason than a lack of resources (such as {@link dev.weft.ClosedResourceException}
     *     when another task closed a listener)
     * @throws dev.weft.Cancelled when cancelled
     * @implNote The listeners' closes run shielded from cancellation, so a listener whose
     *     {@code close()} blocks delays the end of a cancelled server until it returns.
     */
    @Async
    public static <S extends AsyncResource, L extends Listener<? extends S>> void serveListeners(
            List<L> listeners, ConnectionHandler<? super S> handler, TaskStatus<List<L>> status) {
        List<L> ls = List.copyOf(listeners);
        if (ls.isEmpty()) {
            throw new IllegalArgumentException("listeners must not be empty: a server with no listener would end at once");
        }
        try {
            Objects.requireNonNull(handler, "handler"); // inside the try: the listeners are ours to close
            Nursery.open(n -> {
                for (L l : ls) {
                    n.startSoon("accept " + l, () -> acceptLoop(l, handler, n));
                }
                if (status != null) {
                    status.started(ls);
                }
            });
        } finally {
            CancelScope shielded = new CancelScope().setShield(true);
            shielded.run(() -> closeAll(ls, 0));
        }
    }

    /** Closes {@code resources[from..]}, each even if closing one before it threw. */
    @Async
    private static void closeAll(List<? extends AsyncResource> resources, int from) {
        if (from == resources.size()) {
            return;
        }
        try {
            resources.get(from).close();
        } finally {
            closeAll(resources, from + 1);
        }
    }

    @Async
    private static <S extends AsyncResource> void acceptLoop(Listener<? extends S> listener,
            ConnectionHandler<? super S> handler, Nursery n) throws IOException {
        int burst = 0;
        while (true) {
            S accepted;
            try {
                accepted = burst < ACCEPT_BURST ? listener.tryAccept() : null;
                if (accepted == null) {
                    burst = 0;
                    accepted = listener.accept();
                } else {
                    burst++;
                }
            } catch (IOException e) {
                if (!isOutOfResources(e)) {
                    throw e;
                }
                LOGGER.log(System.Logger.Level.ERROR, () -> listener + ": accept failed (" + e.getMessage()
                        + "); retrying in " + ACCEPT_RETRY_DELAY.toMillis() + " ms", e);
                Weft.sleep(ACCEPT_RETRY_DELAY);
                continue;
            }
            S connection = accepted;
            n.startSoon("serve " + connection, () -> serveOne(connection, handler));
        }
    }

    @Async
    private static <S extends AsyncResource> void serveOne(S connection, ConnectionHandler<? super S> handler)
            throws Exception {
        try {
            handler.handle(connection);
        } finally {
            CancelScope forceful = new CancelScope().setShield(true);
            forceful.cancel("closing the connection forcefully after its handler");
            forceful.run(() -> connection.close());
        }
    }

    /** Whether {@code e} (or a cause) says the process or system ran out of descriptors, buffers or memory. */
    static boolean isOutOfResources(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                for (String words : OUT_OF_RESOURCES) {
                    if (message.contains(words)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- UDP

    /**
     * Opens a UDP socket bound to a port the system chooses on every local address. Not a
     * checkpoint.
     *
     * @return the socket; the caller owns it and must close it
     * @throws IOException if the socket cannot be opened or bound
     */
    public static UdpSocket openUdpSocket() throws IOException {
        return openUdpSocket(null);
    }

    /**
     * Opens a UDP socket bound to {@code bindAddress}. For an IPv4 address the socket is an
     * IPv4 socket, for an IPv6 address an IPv6 one; otherwise the system's default family.
     * Not a checkpoint.
     *
     * @param bindAddress the local address, such as {@code new InetSocketAddress("127.0.0.1", 0)},
     *     or null for a port the system chooses on every local address
     * @return the socket; the caller owns it and must close it
     * @throws IOException if the socket cannot be opened or bound (the port is in use, for example)
     */
    public static UdpSocket openUdpSocket(SocketAddress bindAddress) throws IOException {
        DatagramChannel ch = bindAddress instanceof InetSocketAddress a && a.getAddress() instanceof Inet4Address
                ? DatagramChannel.open(StandardProtocolFamily.INET)
                : bindAddress instanceof InetSocketAddress a6 && a6.getAddress() instanceof Inet6Address
                        ? DatagramChannel.open(StandardProtocolFamily.INET6)
                        : DatagramChannel.open();
        try {
            ch.bind(bindAddress);
            return new UdpSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- Unix domain sockets

    /**
     * Connects to the Unix domain stream socket at {@code path}. A checkpoint.
     *
     * @param path the socket file a listener is bound to
     * @return the connected stream; the caller owns it and must close it. Its
     *     {@code localAddress()}/{@code remoteAddress()} throw
     *     {@link UnsupportedOperationException}; use {@code channel().getRemoteAddress()}.
     * @throws IOException if connecting fails: nothing listens there
     *     (a {@link java.net.SocketException}, such as
     *     {@link java.net.ConnectException}), or the path is too long
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     */
    @Async
    public static SocketStream openUnixStream(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (ch.connect(address)) {
                Weft.checkpoint();
            } else {
                Lowlevel.waitWritable(ch);
                ch.finishConnect();
            }
            SocketStream s = new SocketStream(ch);
            ok = true;
            return s;
        } catch (ConnectException e) {
            ConnectException withPath = new ConnectException(e.getMessage() + ": " + path);
            withPath.initCause(e);
            throw withPath;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    /**
     * Opens a Unix domain stream listener bound to {@code path}, which binding creates as a
     * socket file. Closing the listener deletes the file. Not a checkpoint.
     *
     * @param path where to create the socket file; its parent directory must exist. Most
     *     systems limit the path to about 100 bytes.
     * @return the listener; the caller owns it and must close it
     * @throws IOException if binding fails: a file exists at {@code path}
     *     ({@link java.net.BindException}), or the path is too long or not writable
     */
    public static UnixListener openUnixListener(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path), DEFAULT_BACKLOG);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        try {
            return new UnixListener(ch, path);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    // ---------------------------------------------------------------- TLS

    /**
     * Connects to {@code host}:{@code port} over TCP ({@link #openTcpStream}) and makes the
     * client end of a TLS connection over it, verifying that the server's certificate names
     * {@code host}. The handshake happens on the first send or receive, or on
     * {@link SslStream#doHandshake()}. A checkpoint.
     *
     * @param host a name or address literal; also the name the certificate must carry
     * @param port the port, 1 to 65535
     * @param context where trust (and any client certificate) comes from, such as
     *     {@link SSLContext#getDefault()}
     * @return the stream, before its handshake; the caller owns it and must close it
     * @throws IOException if connecting fails; see {@link #openTcpStream}
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     */
    @Async
    public static SslStream openSslOverTcpStream(String host, int port, SSLContext context) throws IOException {
        return openSslOverTcpStream(host, port, context, SslOptions.defaults());
    }

    /**
     * {@link #openSslOverTcpStream(String, int, SSLContext)} with options: ALPN, protocol
     * versions, hostname verification, the closing rule.
     *
     * @param host a name or address literal; also the name the certificate must carry
     * @param port the port, 1 to 65535
     * @param context where trust (and any client certificate) comes from
     * @param options the TLS options
     * @return the stream, before its handshake; the caller owns it and must close it
     * @throws IOException if connecting fails; see {@link #openTcpStream}
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     */
    @Async
    public static SslStream openSslOverTcpStream(String host, int port, SSLContext context, SslOptions options)
            throws IOException {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        SocketStream tcp = openTcpStream(host, port);
        try {
            return SslStream.client(tcp, context, host, options);
        } catch (RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /**
     * Opens TCP listeners for each address of {@code host} ({@link #openTcpListeners(int, String)})
     * whose connections are TLS server streams. A checkpoint.
     *
     * @param port the port, 0 to 65535
     * @param host a local name or address literal, such as {@code "127.0.0.1"}
     * @param context the server's certificate and key
     * @param options the options of every accepted stream
     * @return the listeners; the caller owns them and must close them
     * @throws IOException if the name does not resolve or binding fails
     */
    @Async
    public static List<SslListener> openSslOverTcpListeners(int port, String host, SSLContext context,
            SslOptions options) throws IOException {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        List<SslListener> out = new ArrayList<>();
        for (TcpListener l : openTcpListeners(port, host)) {
            out.add(new SslListener(l, context, options));
        }
        return out;
    }

    /**
     * Serves TLS over TCP on {@code port} of {@code host} until cancelled: Trio's
     * {@code serve_ssl_over_tcp}. Opens the listeners ({@link #openSslOverTcpListeners}) and
     * serves them ({@link #serveListeners}); each handler gets the server end of an
     * {@link SslStream} before its handshake, which happens in the handler's task (so one slow
     * or failing client holds up nobody else) on its first send or receive, or on
     * {@link SslStream#doHandshake()}. A failed handshake throws
     * {@link dev.weft.BrokenResourceException} in the handler: catch it there, or it ends the
     * server like any other handler failure. The server closes each stream forcefully after
     * its handler, without {@code close_notify}; a handler that wants the graceful end calls
     * {@link SslStream#close()} itself. A checkpoint; never returns normally.
     *
     * @param port the port, 0 to 65535
     * @param host a local name or address, such as {@code "127.0.0.1"}
     * @param context the server's certificate and key
     * @param options the options of every accepted stream
     * @param handler what serves each connection
     * @param status receives the listeners once they listen, or null
     * @throws IOException if listening fails
     * @throws dev.weft.FailureGroup if a handler or an accept failed
     * @throws dev.weft.Cancelled when cancelled
     */
    @Async
    public static void serveSslOverTcp(int port, String host, SSLContext context, SslOptions options,
            ConnectionHandler<SslStream> handler, TaskStatus<List<SslListener>> status) throws IOException {
        Objects.requireNonNull(handler, "handler");
        serveListeners(openSslOverTcpListeners(port, host, context, options), handler, status);
    }

    // ---------------------------------------------------------------- helpers

    @Async
    private static InetAddress[] resolve(String host) throws IOException {
        try {
            return Weft.runInThread(() -> InetAddress.getAllByName(host));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not resolve '" + host + "': " + e, e);
        }
    }

    /**
     * The production {@link SocketFactory}: a non-blocking TCP channel, bound to
     * {@code localAddress} if not null. Package-private for tests of the seam with real sockets.
     */
    static SocketFactory<SocketChannel> tcpSockets(InetAddress localAddress) {
        return target -> {
            if (localAddress != null
                    && (localAddress instanceof Inet6Address) != (target.getAddress() instanceof Inet6Address)) {
                throw new SocketException("cannot connect from local address " + localAddress.getHostAddress()
                        + " to " + target + ": the address families differ");
            }
            SocketChannel ch = SocketChannel.open();
            try {
                ch.configureBlocking(false);
                if (localAddress != null) {
                    bindLocal(ch, localAddress);
                }
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        };
    }

    private static void bindLocal(SocketChannel ch, InetAddress localAddress) throws IOException {
        InetSocketAddress local = new InetSocketAddress(localAddress, 0);
        try {
            ch.bind(local);
        } catch (BindException e) {
            BindException withAddress = new BindException(e.getMessage() + ": " + local);
            withAddress.initCause(e);
            throw withAddress;
        } catch (UnsupportedAddressTypeException e) {
            throw new SocketException("cannot bind to " + local + ": the JDK has no IPv6 (java.net.preferIPv4Stack?)");
        }
    }

    /**
     * The production {@link Connector}: connects a non-blocking channel, waiting in the run's
     * selector. Package-private for tests of the seam with real sockets.
     */
    @Async
    static void connect(SocketChannel ch, InetSocketAddress address) throws IOException {
        try {
            if (ch.connect(address)) {
                Weft.checkpoint();
            } else {
                Lowlevel.waitWritable(ch);
                ch.finishConnect();
            }
        } catch (ConnectException e) {
            ConnectException withAddress = new ConnectException(e.getMessage() + ": " + address);
            withAddress.initCause(e);
            throw withAddress;
        }
    }

    private static void checkListenPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
    }

    private static void checkBacklog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be > 0, was " + backlog);
        }
    }

    /** Sets {@code SO_REUSEADDR} on {@code ch}, binds it and wraps it; closes it on failure. */
    private static TcpListener listen(ServerSocketChannel ch, InetSocketAddress address, int backlog)
            throws IOException {
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, backlog);
            return new TcpListener(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
