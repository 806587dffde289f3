package dev.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * An echo server ({@link WeftEchoServer} or {@link VirtualThreadEchoServer}) in a child JVM,
 * so that the client and the server each hold only their own end of every connection: at
 * 10,000 connections one JVM would need 20,000+ file descriptors.
 *
 * <p>The child is {@code java [jvmOptions] -cp <this class path> dev.weft.bench.ChildEchoServer
 * weft|virtualThread [keyStore]}, with the java executable of this JVM. With a key store (a
 * PKCS#12 file from {@link TlsKeyStore#write}) the server speaks TLS 1.3 with that
 * certificate; the child reads the file before it listens, so the caller may delete it once
 * the constructor returns. It prints
 * {@code [echo-server] listening <port>} on its stdout once it listens, then serves until its
 * stdin reaches end of stream: {@link #close()} closes the child's stdin, so does the death of
 * this JVM, and the child then stops its server and exits. Everything else the child says
 * goes to this JVM's stderr.
 */
final class ChildEchoServer implements AutoCloseable {
    /** The line the child prints once it listens, before the port. */
    static final String LISTENING = "[echo-server] listening ";

    private final Process process;
    private final int port;

    /**
     * Starts the child and waits until it listens.
     *
     * @param kind {@code "weft"} or {@code "virtualThread"}
     * @param jvmOptions options for the child JVM, such as the virtual-thread scheduler's
     * @throws IOException if the child cannot be started or exits before it listens
     */
    ChildEchoServer(String kind, List<String> jvmOptions) throws IOException {
        this(kind, jvmOptions, null);
    }

    /**
     * Starts the child and waits until it listens.
     *
     * @param kind {@code "weft"} or {@code "virtualThread"}
     * @param jvmOptions options for the child JVM, such as the virtual-thread scheduler's
     * @param tlsKeyStore the server's certificate and key for TLS 1.3 ({@link TlsKeyStore}),
     *     or null for plain TCP
     * @throws IOException if the child cannot be started or exits before it listens
     */
    ChildEchoServer(String kind, List<String> jvmOptions, Path tlsKeyStore) throws IOException {
        if (!kind.equals("weft") && !kind.equals("virtualThread")) {
            throw new IllegalArgumentException("kind must be weft or virtualThread, was " + kind);
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildEchoServer.class.getName());
        command.add(kind);
        if (tlsKeyStore != null) {
            command.add(tlsKeyStore.toAbsolutePath().toString());
        }
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith(LISTENING)) {
            System.err.println("[echo-server] " + line);
        }
        if (line == null) {
            stop();
            throw new IOException("the " + kind + " echo server's JVM exited with " + process.exitValue()
                    + " before it listened (its stderr is above): " + String.join(" ", command));
        }
        port = Integer.parseInt(line.substring(LISTENING.length()).trim());
    }

    int port() {
        return port;
    }

    /** @return the child JVM's process */
    ProcessHandle process() {
        return process.toHandle();
    }

    /**
     * Stops the child: closes its stdin, which tells it to stop its server and exit, and
     * waits for it; destroys it if it has not exited within 10 s. On return the child is gone.
     *
     * @throws IOException if the child did not exit cleanly
     */
    @Override
    public void close() throws IOException {
        int exit = stop();
        if (exit != 0) {
            throw new IOException("the echo server's JVM exited with " + exit + " (its stderr is above)");
        }
    }

    private int stop() throws IOException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The child is already gone; waitFor below says how it ended.
        }
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            throw new IOException("the echo server's JVM did not exit within 10 s of its stdin closing; destroyed it");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the echo server's JVM; destroyed it", e);
        }
    }

    /**
     * The child JVM: starts the server named by {@code args[0]}, prints its port, serves until
     * stdin ends, stops the server and exits.
     *
     * @param args {@code weft} or {@code virtualThread}, then optionally the PKCS#12 key store
     *     for TLS
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || !(args[0].equals("weft") || args[0].equals("virtualThread"))) {
            System.err.println("usage: ChildEchoServer weft|virtualThread [tlsKeyStore.p12]");
            System.exit(2);
        }
        SSLContext tls = args.length == 2 ? TlsKeyStore.serverContext(Path.of(args[1])) : null;
        AutoCloseable server;
        int port;
        if (args[0].equals("weft")) {
            WeftEchoServer weft = tls == null ? new WeftEchoServer() : new WeftEchoServer(tls);
            String warning = weft.fastCarrierWarning();
            if (warning != null) {
                System.err.println(warning);
            }
            server = weft;
            port = weft.port();
        } else {
            VirtualThreads.requireOneCarrier();
            VirtualThreadEchoServer vt = tls == null ? new VirtualThreadEchoServer() : new VirtualThreadEchoServer(tls);
            server = vt;
            port = vt.port();
        }
        System.out.println(LISTENING + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Nothing is ever written to stdin: wait for its end.
        }
        server.close();
        System.exit(0);
    }
}
