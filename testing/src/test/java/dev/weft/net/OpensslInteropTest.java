package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.process.ProcessOptions;
import dev.weft.process.Processes;
import dev.weft.process.Stdio;
import dev.weft.process.WeftProcess;
import dev.weft.stream.ReceiveStream;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SslStream} against a TLS implementation Weft did not write: the machine's
 * {@code openssl s_server} and {@code s_client}, started by the test, for TLS 1.2 and 1.3.
 * Skipped where {@code openssl} is not installed.
 */
class OpensslInteropTest {

    @TempDir
    static Path dir;

    static Path caPem;
    static Path certPem;
    static Path keyPem;

    @BeforeAll
    static void writeCertificates() throws Exception {
        Assumptions.assumeTrue(opensslAvailable(), "openssl is not on the PATH");
        caPem = dir.resolve("ca.pem");
        certPem = dir.resolve("cert.pem");
        keyPem = dir.resolve("key.pem");
        Files.writeString(caPem, Tls.CA.certificatePem());
        Tls.SERVER.writePemFiles(certPem, keyPem);
    }

    // ---------------------------------------------------------------- Weft client, openssl server

    @WeftTest(timeoutSeconds = 30)
    @Async
    void client_toOpensslServer_tls13() throws Exception {
        clientToOpensslServer("-tls1_3", "TLSv1.3");
    }

    @WeftTest(timeoutSeconds = 30)
    @Async
    void client_toOpensslServer_tls12() throws Exception {
        clientToOpensslServer("-tls1_2", "TLSv1.2");
    }

    @WeftTest(timeoutSeconds = 30)
    @Async
    void client_alpn_opensslServerChooses() throws Exception {
        int port = freePort();
        openssl(List.of("s_server", "-accept", String.valueOf(port), "-cert", certPem.toString(), "-key",
                keyPem.toString(), "-rev", "-naccept", "1", "-alpn", "http/1.1"), server -> {
            awaitOutput(server.stdout(), "ACCEPT");
            SslStream s = Net.openSslOverTcpStream("localhost", port, Tls.CA.clientContext(),
                    SslOptions.defaults().withApplicationProtocols("h2", "http/1.1"));
            try {
                s.doHandshake();
                assertEquals("http/1.1", s.applicationProtocol());
            } finally {
                s.close();
            }
        });
    }

    @Async
    private void clientToOpensslServer(String versionFlag, String version) throws Exception {
        int port = freePort();
        openssl(List.of("s_server", "-accept", String.valueOf(port), "-cert", certPem.toString(), "-key",
                keyPem.toString(), "-rev", "-naccept", "1", versionFlag), server -> {
            awaitOutput(server.stdout(), "ACCEPT");
            SslStream s = Net.openSslOverTcpStream("localhost", port, Tls.CA.clientContext());
            try {
                s.sendAll("hello, openssl\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("lssnepo ,olleh\n", receiveLine(s), "s_server -rev answers each line reversed");
                assertEquals(version, s.session().getProtocol());
            } finally {
                s.close();
            }
            assertEquals(0, server.waitFor(), "s_server's exit status after its one connection (-naccept 1)");
        });
    }

    // ---------------------------------------------------------------- openssl client, Weft server

    @WeftTest(timeoutSeconds = 30)
    @Async
    void server_opensslClient_tls13_verifiesHostnameAndSeesCloseNotify() throws Exception {
        serverForOpensslClient("-tls1_3");
    }

    @WeftTest(timeoutSeconds = 30)
    @Async
    void server_opensslClient_tls12_verifiesHostnameAndSeesCloseNotify() throws Exception {
        serverForOpensslClient("-tls1_2");
    }

    @Async
    private void serverForOpensslClient(String versionFlag) throws Exception {
        List<SslListener> ls = Net.openSslOverTcpListeners(0, "127.0.0.1", Tls.SERVER.serverContext(),
                SslOptions.defaults());
        SslListener listener = ls.get(0);
        int port = ((TcpListener) listener.transportListener()).localAddress().getPort();
        List<String> served = new ArrayList<>();
        try {
            Nursery.open(n -> {
                n.startSoon("server", () -> {
                    SslStream s = listener.accept();
                    try {
                        String line = receiveLine(s);
                        served.add(line);
                        s.sendAll(("echo: " + line).getBytes(StandardCharsets.US_ASCII));
                        // strict mode: -1 here means s_client sent close_notify when its input ended
                        served.add(s.receiveSome(100).length == 0 ? "clean end" : "more data");
                    } finally {
                        s.close();
                    }
                });
                openssl(List.of("s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                        "-CAfile", caPem.toString(), "-verify_return_error", "-verify_hostname", "localhost",
                        "-quiet", "-no_ign_eof", versionFlag), client -> {
                    client.stdin().sendAll("hi from openssl\n".getBytes(StandardCharsets.US_ASCII));
                    awaitOutput(client.stdout(), "echo: hi from openssl");
                    client.stdin().close();
                    assertEquals(0, client.waitFor(), "s_client's exit status");
                });
            });
        } finally {
            listener.close();
        }
        assertEquals(List.of("hi from openssl\n", "clean end"), served);
    }

    // ---------------------------------------------------------------- helpers

    /** Runs openssl with piped stdin and stdout (its stderr goes to the test log), stopping it afterwards. */
    @Async
    private static void openssl(List<String> args, OpensslBody body) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(args);
        Processes.open(ProcessOptions.command(command).stderr(Stdio.INHERIT), p -> {
            CancelScope.failAfter(Duration.ofSeconds(20)).run(() -> body.run(p));
            return null;
        });
    }

    @FunctionalInterface
    interface OpensslBody {
        @Async
        void run(WeftProcess p) throws Exception;
    }

    /** Reads {@code in} until its text so far contains {@code marker}; returns that text. */
    @Async
    private static String awaitOutput(ReceiveStream in, String marker) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.US_ASCII).contains(marker)) {
            byte[] b = in.receiveSome(4096);
            if (b.length == 0) {
                throw new AssertionError("openssl ended before printing '" + marker + "': " + seen);
            }
            seen.write(b, 0, b.length);
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }

    @Async
    private static String receiveLine(SslStream s) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (!line.toString(StandardCharsets.US_ASCII).endsWith("\n")) {
            byte[] b = s.receiveSome(1);
            if (b.length == 0) {
                throw new AssertionError("the stream ended inside a line: " + line);
            }
            line.write(b[0]);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
