package dev.weft.net;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.TaskStatus;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.sync.Event;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Network entry points. TCP: connect ({@link #openTcpStream}), listen
 * ({@link #openTcpListeners}) and serve ({@link #serveTcp}), Trio's {@code open_tcp_stream},
 * {@code open_tcp_listeners} and {@code serve_tcp}. UDP: {@link #openUdpSocket}. Unix domain
 * stream sockets: {@link #openUnixStream} and {@link #openUnixListener}.
 * {@snippet :
 * Nursery.open(n -> {
 *     List<TcpListener> ls = n.start(status -> Net.serveTcp(0, "127.0.0.1", Echo::serve, status));
 *     SocketStream c = Net.openTcpStream("127.0.0.1", ls.get(0).localAddress().getPort());
 *     ...
 * });
 * }
 *
 * <h2>Connecting</h2>
 * {@link #openTcpStream} resolves the host on a worker thread, then tries its addresses with
 * "happy eyeballs" (RFC 8305): it starts with the first address, starts the next when the one
 * before has failed or {@link #HAPPY_EYEBALLS_DELAY} has passed, and the first connection
 * that succeeds wins; the other attempts are cancelled and their sockets closed.
 */
public final class Net {

    /** How long an attempt has before the next address is tried too: 250 ms, as RFC 8305 advises. */
    public static final Duration HAPPY_EYEBALLS_DELAY = Duration.ofMillis(250);

    private static final int BACKLOG = 4096;

    private Net() {
    }

    /**
     * Connects to {@code host}:{@code port} over TCP. A checkpoint.
     *
     * @param host a name or address literal
     * @param port the port, 1 to 65535
     * @return the connected stream; the caller owns it and must close it
     * @throws IOException if the name does not resolve ({@link java.net.UnknownHostException}),
     *     or if every attempt fails: the first attempt's failure (such as
     *     {@link java.net.ConnectException} when the connection is refused), with the others'
     *     suppressed
     * @throws IllegalArgumentException if the port is out of range
     * @throws dev.weft.Cancelled if the task is cancelled; no socket is left open
     */
    @Async
    public static SocketStream openTcpStream(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        return connectFirst(resolve(host), port);
    }

    /**
     * The connecting half of {@link #openTcpStream}: happy eyeballs over {@code addresses}, in
     * order. Package-private so tests can give addresses that no name resolves to.
     */
    @Async
    static SocketStream connectFirst(InetAddress[] addresses, int port) throws IOException {
        if (addresses.length == 0) {
            throw new IOException("no address to connect to");
        }
        if (addresses.length == 1) {
            return new SocketStream(connect(new InetSocketAddress(addresses[0], port)));
        }
        Attempts attempts = new Attempts(addresses, port);
        boolean done = false;
        try {
            Nursery.open(n -> n.startSoon("connect " + addresses[0], () -> attempts.attempt(n, 0, null)));
            done = true;
        } finally {
            if (!done && attempts.winner != null) {
                attempts.winner.close();
            }
        }
        if (attempts.winner == null) {
            throw attempts.failure();
        }
        return new SocketStream(attempts.winner);
    }

    /**
     * Opens TCP listeners on every local address, on {@code port} (0: a port the system
     * chooses). One listener on the wildcard address, which on dual-stack systems takes both
     * IPv4 and IPv6. Not a checkpoint.
     *
     * @param port the port, 0 to 65535
     * @return the listeners; the caller owns them and must close them
     * @throws IOException if binding fails (the port is in use, for example)
     * @throws IllegalArgumentException if the port is out of range
     */
    public static List<TcpListener> openTcpListeners(int port) throws IOException {
        checkListenPort(port);
        return List.of(listen(new InetSocketAddress(port)));
    }

    /**
     * Opens one TCP listener for each address of {@code host}, on {@code port}. A checkpoint
     * (the name is resolved on a worker thread).
     *
     * @param port the port, 0 to 65535; with 0 and several addresses, each listener gets its
     *     own port
     * @param host a local name or address literal, such as {@code "127.0.0.1"}
     * @return the listeners; the caller owns them and must close them
     * @throws IOException if the name does not resolve or binding fails; listeners opened
     *     before the failure are closed
     * @throws IllegalArgumentException if the port is out of range
     */
    @Async
    public static List<TcpListener> openTcpListeners(int port, String host) throws IOException {
        Objects.requireNonNull(host, "host");
        checkListenPort(port);
        InetAddress[] addresses = resolve(host);
        List<TcpListener> out = new ArrayList<>();
        try {
            for (InetAddress a : addresses) {
                out.add(listen(new InetSocketAddress(a, port)));
            }
        } catch (IOException | RuntimeException e) {
            for (TcpListener l : out) {
                closeQuietly(l);
            }
            throw e;
        }
        return out;
    }

    /**
     * Serves TCP on {@code port} of {@code host} until cancelled: accepts connections and runs
     * {@code handler} for each in its own task, closing the stream when the handler returns.
     * Reports the listeners through {@code status}, so that {@code n.start(...)} returns once
     * the server is listening. Never returns normally; cancel its scope to stop it, which
     * closes the listeners and cancels the handlers. A handler's failure ends the server and
     * is thrown (in a {@link dev.weft.FailureGroup}). A checkpoint.
     *
     * @param port the port, 0 to 65535
     * @param host a local name or address, such as {@code "127.0.0.1"}
     * @param handler what serves each connection
     * @param status receives the listeners once they listen
     * @throws IOException if listening fails
     * @throws dev.weft.FailureGroup if a handler or an accept failed
     * @throws dev.weft.Cancelled when cancelled
     */
    @Async
    public static void serveTcp(int port, String host, TcpHandler handler, TaskStatus<List<TcpListener>> status)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        serveListeners(openTcpListeners(port, host), handler, status);
    }

    /**
     * {@link #serveTcp(int, String, TcpHandler, TaskStatus)} on every local address.
     *
     * @param port the port, 0 to 65535
     * @param handler what serves each connection
     * @throws IOException if listening fails
     * @throws dev.weft.FailureGroup if a handler or an accept failed
     * @throws dev.weft.Cancelled when cancelled
     */
    @Async
    public static void serveTcp(int port, TcpHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        serveListeners(openTcpListeners(port), handler, null);
    }

    /**
     * Serves connections from {@code listeners} until cancelled; see
     * {@link #serveTcp(int, String, TcpHandler, TaskStatus)}. Takes ownership of the listeners
     * and closes them when it ends. A checkpoint.
     *
     * @param listeners the listeners
     * @param handler what serves each connection
     * @param status receives the listeners once the accept loops run, or null
     * @throws dev.weft.FailureGroup if a handler or an accept failed
     * @throws dev.weft.Cancelled when cancelled
     */
    @Async
    public static void serveListeners(List<TcpListener> listeners, TcpHandler handler,
            TaskStatus<List<TcpListener>> status) {
        List<TcpListener> ls = List.copyOf(listeners);
        try {
            Nursery.open(n -> {
                for (TcpListener l : ls) {
                    n.startSoon("accept " + l.localAddress(), () -> acceptLoop(l, handler, n));
                }
                if (status != null) {
                    status.started(ls);
                }
            });
        } finally {
            for (TcpListener l : ls) {
                closeQuietly(l);
            }
        }
    }

    @Async
    private static void acceptLoop(TcpListener listener, TcpHandler handler, Nursery n) throws IOException {
        while (true) {
            SocketStream s = listener.accept();
            n.startSoon("serve " + s.remoteAddress(), () -> serveOne(s, handler));
        }
    }

    @Async
    private static void serveOne(SocketStream s, TcpHandler handler) throws Exception {
        try {
            handler.handle(s);
        } finally {
            s.close();
        }
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
     *     {@code localAddress()}/{@code remoteAddress()} do not apply; use {@code channel()}.
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
            ch.bind(UnixDomainSocketAddress.of(path), BACKLOG);
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

    /** Opens a non-blocking socket and connects it; closes it on any failure or cancellation. */
    @Async
    private static SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open();
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (ch.connect(address)) {
                Weft.checkpoint();
            } else {
                Lowlevel.waitWritable(ch);
                ch.finishConnect();
            }
            ok = true;
            return ch;
        } catch (ConnectException e) {
            ConnectException withAddress = new ConnectException(e.getMessage() + ": " + address);
            withAddress.initCause(e);
            throw withAddress;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    private static void checkListenPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
    }

    private static TcpListener listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(address, BACKLOG);
            return new TcpListener(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Closes a listener outside async code: the channel only (it was never waited on, or its waits ended). */
    private static void closeQuietly(TcpListener l) {
        l.closeChannelOnly();
    }

    /**
     * The happy-eyeballs attempts of one {@link #openTcpStream}. Fields written and read by
     * the attempts' tasks, on the run's thread.
     */
    private static final class Attempts {
        final InetAddress[] addresses;
        final int port;
        /** The first connected socket; invariant: set at most once, then the nursery is cancelled. */
        SocketChannel winner;
        /** Each failed attempt's exception, in order of failure. */
        final List<IOException> failures = new ArrayList<>();

        Attempts(InetAddress[] addresses, int port) {
            this.addresses = addresses;
            this.port = port;
        }

        /** Attempt {@code i}: waits for the one before to fail or for the delay, starts the next, connects. */
        @Async
        void attempt(Nursery n, int i, Event previousFailed) throws IOException {
            if (previousFailed != null) {
                CancelScope.moveOnAfter(HAPPY_EYEBALLS_DELAY).run(() -> previousFailed.await());
            }
            Event failed = new Event();
            if (i + 1 < addresses.length) {
                n.startSoon("connect " + addresses[i + 1], () -> attempt(n, i + 1, failed));
            }
            SocketChannel ch;
            try {
                ch = connect(new InetSocketAddress(addresses[i], port));
            } catch (IOException e) {
                failures.add(e);
                failed.set();
                return;
            }
            if (winner == null) {
                winner = ch;
                n.cancelScope().cancel();
            } else {
                ch.close();
            }
        }

        IOException failure() {
            IOException first = failures.isEmpty() ? new IOException("no address to connect to") : failures.get(0);
            for (int k = 1; k < failures.size(); k++) {
                first.addSuppressed(failures.get(k));
            }
            return first;
        }
    }
}
