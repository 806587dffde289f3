package dev.weft.samples.tlsecho;

import dev.weft.BrokenResourceException;
import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.annotation.Async;
import dev.weft.net.Net;
import dev.weft.net.SslListener;
import dev.weft.net.SslOptions;
import dev.weft.net.SslStream;
import dev.weft.net.TcpListener;
import dev.weft.testing.IssuedCertificate;
import dev.weft.testing.TestCertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A TLS echo server and its clients in one run, over 127.0.0.1, with a certificate made at
 * start.
 * <pre>
 *   TestCertificateAuthority --issues--> certificate for localhost, 127.0.0.1
 *   client (trusts the test CA) --TLS 1.3, ALPN "echo/1"--> SslListener --> serve (task per connection)
 *   client (trusts only the JDK's CAs) --X handshake fails: the certificate is not trusted
 * </pre>
 * The certificate authority is {@code weft-testing}'s {@link TestCertificateAuthority} (as
 * {@code trustme} is for Trio): a fresh key and certificate in memory, nothing written to
 * disk. The server is {@link Net#serveListeners} over {@link Net#openSslOverTcpListeners};
 * each connection's handshake runs in its own task, so a failing client does not hold up
 * the others. The good client verifies the server's name ({@code localhost}), sends its
 * lines, reads the echo and closes with TLS's {@code close_notify}, which the server sees as
 * the end of the stream.
 */
public final class TlsEcho {
    private static final SslOptions OPTIONS = SslOptions.defaults().withApplicationProtocols("echo/1");

    private final PrintStream out;
    private final int clients;

    /**
     * @param out where to print
     * @param clients how many trusting clients connect at once
     */
    public TlsEcho(PrintStream out, int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be >= 1, was " + clients);
        }
        this.out = out;
        this.clients = clients;
    }

    /** Runs the server and the clients on {@code runner}. @param runner the runner */
    public void run(Runner runner) throws Exception {
        runner.run(() -> main());
    }

    @Async
    void main() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create();
        IssuedCertificate cert = ca.issueCertificate("localhost", "127.0.0.1");
        out.println("main: made a test CA and a certificate for localhost and 127.0.0.1, valid until "
                + cert.certificate().getNotAfter().toInstant());
        String[] reports = new String[clients];
        Nursery.open(n -> {
            List<SslListener> ls = n.start(status ->
                    Net.serveSslOverTcp(0, "127.0.0.1", cert.serverContext(), OPTIONS, this::serve, status));
            int port = ((TcpListener) ls.get(0).transportListener()).localAddress().getPort();
            out.println("server: TLS on 127.0.0.1:" + port);
            Nursery.open(c -> {
                for (int i = 1; i <= clients; i++) {
                    int k = i;
                    c.startSoon("client-" + k, () -> reports[k - 1] = client(port, k, ca.clientContext()));
                }
            });
            for (String r : reports) {
                out.print(r);
            }
            untrustingClient(port);
            out.println("main: every client is done; cancelling the server");
            n.cancelScope().cancel("the clients are done");
        });
        out.println("main: the server has stopped and its listener is closed");
    }

    /** The server's handler: echoes until the client's close_notify; a failed handshake is reported, not fatal. */
    @Async
    void serve(SslStream s) {
        try {
            s.doHandshake();
            long total = 0;
            for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
                s.sendAll(b);
                total += b.length;
            }
            out.println("server: echoed " + total + " bytes over " + s.session().getProtocol()
                    + "; the client closed with close_notify");
            s.close();
        } catch (BrokenResourceException e) {
            out.println("server: a client's handshake failed: " + rootMessage(e));
        }
    }

    /** Client {@code k}: verifies the server, sends two lines, reads them back, closes. */
    @Async
    String client(int port, int k, SSLContext trust) throws IOException {
        SslStream s = Net.openSslOverTcpStream("localhost", port, trust, OPTIONS);
        try {
            s.doHandshake();
            StringBuilder report = new StringBuilder();
            report.append("client-").append(k).append(": ").append(s.session().getProtocol()).append(", ")
                    .append(s.session().getCipherSuite()).append(", ALPN ").append(s.applicationProtocol())
                    .append(", server is ").append(s.session().getPeerPrincipal().getName()).append('\n');
            byte[] text = ("hello from client-" + k + "\nbye from client-" + k + "\n").getBytes(StandardCharsets.UTF_8);
            s.sendAll(text);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (got.size() < text.length) {
                byte[] b = s.receiveSome(4096);
                got.write(b, 0, b.length);
            }
            for (String line : got.toString(StandardCharsets.UTF_8).split("\n")) {
                report.append("client-").append(k).append(": echoed back: ").append(line).append('\n');
            }
            return report.toString();
        } finally {
            s.close();
        }
    }

    /** A client that trusts only the JDK's certificate authorities: the handshake must fail. */
    @Async
    void untrustingClient(int port) throws Exception {
        SslStream s = Net.openSslOverTcpStream("localhost", port, SSLContext.getDefault(), OPTIONS);
        try {
            s.doHandshake();
            throw new IllegalStateException("a client that does not trust the test CA completed the handshake");
        } catch (BrokenResourceException e) {
            out.println("untrusting client: handshake refused, as it should be: " + rootMessage(e));
        } finally {
            s.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        int cut = m.indexOf(':');
        return t.getClass().getSimpleName() + (cut > 0 && m.length() > 80 ? " (" + m.substring(0, cut) + ")" : " (" + m + ")");
    }
}
