package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A virtual-thread-per-connection echo server on 127.0.0.1: a blocking {@link ServerSocket}
 * whose accept loop runs in a virtual thread and starts one virtual thread per connection,
 * which reads into its own 4096-byte buffer and writes back what it read, until end of
 * stream. Same backlog (4096) and {@code TCP_NODELAY} as Weft's {@code Net.serveTcp}.
 * With an {@link SSLContext} the listener is an {@link SSLServerSocket} limited to TLS 1.3,
 * and each connection's handshake happens on its first read, in its virtual thread.
 * Needs JDK 21+ (through {@link VirtualThreads}); run with one carrier.
 */
final class VirtualThreadEchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    VirtualThreadEchoServer() throws IOException {
        this(new ServerSocket());
    }

    /**
     * A TLS 1.3 echo server.
     *
     * @param tls the server's certificate and key
     */
    VirtualThreadEchoServer(SSLContext tls) throws IOException {
        this(tls13ServerSocket(tls));
    }

    private VirtualThreadEchoServer(ServerSocket unbound) throws IOException {
        server = unbound;
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4096);
        acceptor = VirtualThreads.start(this::acceptLoop);
    }

    private static ServerSocket tls13ServerSocket(SSLContext tls) throws IOException {
        SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        return s;
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    System.err.println("[weft-bench] virtual-thread echo server: accept failed: " + e);
                }
                return;
            }
            open.add(s);
            VirtualThreads.start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[4096];
            for (int k; (k = in.read(buf)) > 0; ) {
                out.write(buf, 0, k);
            }
        } catch (IOException e) {
            if (!closing) {
                System.err.println("[weft-bench] virtual-thread echo server: " + e);
            }
        } finally {
            open.remove(s);
        }
    }

    /** Closes the listener and every connection, and joins the accept loop. */
    @Override
    public void close() throws IOException {
        closing = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
        VirtualThreads.join(acceptor);
    }
}
