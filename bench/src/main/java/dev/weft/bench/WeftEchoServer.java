package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Weft;
import dev.weft.bench.subject.EchoServer;
import dev.weft.bench.subject.TlsEchoServer;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * The woven {@link EchoServer} (TCP) or {@link TlsEchoServer} (TLS 1.3) in a
 * {@code Weft.run} on its own platform thread ({@code weft-echo-server}): one scheduler
 * thread runs the accept loop and every connection's task.
 */
final class WeftEchoServer implements AutoCloseable {
    private final CompletableFuture<Object> stop = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final int port;

    /** Weaves the TCP subject, starts the run and waits until it listens. */
    WeftEchoServer() throws Exception {
        this(EchoServer.class);
    }

    /**
     * Weaves the TLS subject, starts the run and waits until it listens.
     *
     * @param tls the server's certificate and key
     */
    WeftEchoServer(SSLContext tls) throws Exception {
        this(TlsEchoServer.class, tls);
    }

    /**
     * Weaves {@code subject}, whose constructor takes {@code leadingArgs} followed by the
     * port and stop futures, starts the run and waits until it listens.
     */
    private WeftEchoServer(Class<?> subject, Object... leadingArgs) throws Exception {
        ClassLoader woven = Weaving.load(subject);
        CompletableFuture<Object> published = new CompletableFuture<>();
        Object[] args = Arrays.copyOf(leadingArgs, leadingArgs.length + 2);
        args[leadingArgs.length] = published;
        args[leadingArgs.length + 1] = stop;
        AsyncCallable<?> server = Weaving.newWoven(woven, subject, AsyncCallable.class, args);
        thread = new Thread(() -> {
            try {
                Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false).run(server);
            } catch (Throwable t) {
                failure.set(t);
                published.completeExceptionally(t);
            }
        }, "weft-echo-server");
        thread.setDaemon(true);
        thread.start();
        port = (Integer) published.get(10, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    /**
     * Says whether the server's thread owns the runtime's fast carrier slot (see
     * {@link Weaving#fastCarrierWarning()}).
     *
     * @return null if it does, else a warning
     */
    String fastCarrierWarning() {
        return fastCarrierWarning(thread, "the echo server's thread");
    }

    /**
     * Says whether {@code expected} owns the runtime's fast carrier slot.
     *
     * @param expected the thread that runs the woven code being measured
     * @param role what that thread is, for the warning
     * @return null if it does, else a warning
     */
    static String fastCarrierWarning(Thread expected, String role) {
        try {
            Class<?> carrier = Class.forName("dev.weft.internal.Carrier");
            Field fast = carrier.getDeclaredField("fast");
            fast.setAccessible(true);
            Object f = fast.get(null);
            if (f == null) {
                return "[weft-bench] no thread owns the fast carrier slot yet";
            }
            Field owner = carrier.getDeclaredField("thread");
            owner.setAccessible(true);
            Object t = owner.get(f);
            return t == expected ? null : "[weft-bench] WARNING: the fast carrier slot is owned by " + t
                    + ", not by " + role + ": its woven calls take the ThreadLocal path";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "[weft-bench] cannot check the fast carrier slot (" + e + ")";
        }
    }

    /** Stops the server (cancelling it closes the listener and every connection) and joins its thread. */
    @Override
    public void close() throws Exception {
        stop.complete(null);
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the Weft echo server did not stop within 10 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the Weft echo server's run failed", failure.get());
        }
    }
}
