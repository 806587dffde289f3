package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Weft;
import dev.weft.bench.subject.EchoServer;
import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The woven {@link EchoServer} in a {@code Weft.run} on its own platform thread
 * ({@code weft-echo-server}): one scheduler thread runs the accept loop and every
 * connection's task.
 */
final class WeftEchoServer implements AutoCloseable {
    private final CompletableFuture<Object> stop = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final int port;

    /** Weaves the subject, starts the run and waits until it listens. */
    WeftEchoServer() throws Exception {
        ClassLoader woven = Weaving.load(EchoServer.class);
        CompletableFuture<Object> published = new CompletableFuture<>();
        AsyncCallable<?> server = Weaving.newWoven(woven, EchoServer.class, AsyncCallable.class, published, stop);
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
            return t == thread ? null : "[weft-bench] WARNING: the fast carrier slot is owned by " + t
                    + ", not by the echo server's thread: its woven calls take the ThreadLocal path";
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
