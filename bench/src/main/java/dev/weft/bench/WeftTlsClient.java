package dev.weft.bench;

import dev.weft.AsyncCallable;
import dev.weft.Weft;
import dev.weft.bench.subject.TlsEchoClient;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * The TLS echo benchmark's client, the same for every server: the woven
 * {@link TlsEchoClient} in a {@code Weft.run} on its own platform thread
 * ({@code weft-tls-client}), one task per connection, each in a closed loop. The loops run
 * freely from the end of the constructor until {@link #close()}; the benchmark thread only
 * watches the count of round trips ({@link #roundTrips}) and the latencies.
 *
 * <p>Latencies go into a growable {@code long[]} while {@link #recording} is on;
 * {@link #percentile} sorts a copy. Each connection's time of its last echo is kept, for
 * {@link #idleSince} and {@link #oldestInFlight}.
 *
 * <h2>Memory consistency effects</h2>
 * The run's thread is the only writer of {@link #completed}, {@link #lastEcho} and the
 * samples. {@link #completed} is volatile; the samples are read and written under this
 * object's monitor; {@link #lastEcho} is read without synchronization, so
 * {@link #idleSince} and {@link #oldestInFlight} may see a slightly stale time per connection.
 */
final class WeftTlsClient implements RoundTripSink, AutoCloseable {
    /** How long {@link #roundTrips} waits without any round trip before it fails. */
    static final int STALL_TIMEOUT_SECONDS = 30;

    private final CompletableFuture<Object> ready = new CompletableFuture<>();
    private final CompletableFuture<Object> stop = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    /** Round trips completed by the loops. Written by the run's thread only. */
    private volatile long completed;
    /**
     * The count {@link #waiter} waits for, or {@code Long.MAX_VALUE} when nobody waits. Set by
     * the waiter; reset by the run's thread when it wakes the waiter.
     */
    private final AtomicLong target = new AtomicLong(Long.MAX_VALUE);
    private volatile Thread waiter;
    /** The count at which the next {@link #roundTrips} call returns. Benchmark thread only. */
    private long goal;
    /** Each connection's {@code System.nanoTime()} of its last echo. Written by the run's thread. */
    private final long[] lastEcho;
    /** Latency samples; guarded by {@code this}. */
    private long[] samples = new long[1 << 20];
    private int count;
    /** Whether round trips are recorded as latency samples. */
    volatile boolean recording;

    /**
     * Weaves the client, starts its run, and waits until every connection is open,
     * handshaken and echoed once.
     *
     * @param port the echo server's port on 127.0.0.1
     * @param connections how many connections
     * @param context trusts the authority that issued the server's certificate
     * @throws Exception if the run fails or is not ready within two minutes
     */
    WeftTlsClient(int port, int connections, SSLContext context) throws Exception {
        lastEcho = new long[connections];
        ClassLoader woven = Weaving.load(TlsEchoClient.class);
        AsyncCallable<?> main = (AsyncCallable<?>) Class.forName(TlsEchoClient.class.getName(), true, woven)
                .getConstructor(SSLContext.class, int.class, int.class, RoundTripSink.class, CompletableFuture.class,
                        CompletableFuture.class)
                .newInstance(context, port, connections, this, ready, stop);
        thread = new Thread(() -> {
            try {
                Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false).run(main);
            } catch (Throwable t) {
                failure.set(t);
                ready.completeExceptionally(t);
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }, "weft-tls-client");
        thread.setDaemon(true);
        thread.start();
        try {
            ready.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            stop.complete(null);
            throw new IllegalStateException("the TLS echo client did not connect its " + connections
                    + " connections: " + (e instanceof TimeoutException ? "not ready after 2 minutes" : e.getCause()),
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        goal = completed;
    }

    @Override
    public void roundTrip(int connection, long nanos) {
        long c = completed + 1;
        completed = c;
        lastEcho[connection] = System.nanoTime();
        if (recording) {
            record(nanos);
        }
        long t = target.get();
        if (c >= t && target.compareAndSet(t, Long.MAX_VALUE)) {
            LockSupport.unpark(waiter);
        }
    }

    private synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    /** Forgets round trips made since the last {@link #roundTrips} returned: the next counts from now. */
    void resetGoal() {
        goal = completed;
    }

    /**
     * Waits until the loops have completed {@code n} more round trips than the previous call
     * waited for (or than {@link #resetGoal} saw), so that every round trip is counted once.
     *
     * @param n round trips
     * @return {@code n}
     * @throws IllegalStateException if the client's run failed, or made no round trip for
     *     {@value #STALL_TIMEOUT_SECONDS} s
     */
    long roundTrips(long n) {
        goal += n;
        if (completed >= goal) {
            return n;
        }
        waiter = Thread.currentThread();
        target.set(goal);
        long last = completed;
        long lastProgress = System.nanoTime();
        while (completed < goal) {
            Throwable f = failure.get();
            if (f != null) {
                throw new IllegalStateException("the TLS echo client's run failed: " + f, f);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            long now = System.nanoTime();
            if (completed != last) {
                last = completed;
                lastProgress = now;
            } else if (now - lastProgress > TimeUnit.SECONDS.toNanos(STALL_TIMEOUT_SECONDS)) {
                throw new IllegalStateException("the TLS echo client made no round trip for " + STALL_TIMEOUT_SECONDS
                        + " s (" + completed + " so far)");
            }
        }
        target.set(Long.MAX_VALUE);
        return n;
    }

    /**
     * @param since a {@code System.nanoTime()}
     * @return how many connections have had no echo since then
     */
    int idleSince(long since) {
        int idle = 0;
        for (long t : lastEcho) {
            if (t - since < 0) {
                idle++;
            }
        }
        return idle;
    }

    /** @return the longest time, in nanoseconds, since a connection's last echo: its message's age */
    long oldestInFlight() {
        long now = System.nanoTime();
        long oldest = 0;
        for (long t : lastEcho) {
            oldest = Math.max(oldest, now - t);
        }
        return oldest;
    }

    /** @return how many samples are recorded */
    synchronized int samples() {
        return count;
    }

    /**
     * @param from the first sample to look at (an earlier {@link #samples()})
     * @param p a percentile, such as 50 or 99
     * @return the latency at that percentile of the samples recorded since {@code from}, in
     *     nanoseconds (nearest rank), or -1 if there are none
     */
    long percentile(int from, double p) {
        long[] sorted;
        synchronized (this) {
            if (count <= from) {
                return -1;
            }
            sorted = Arrays.copyOfRange(samples, from, count);
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    /** @return the client's run thread, for the fast-carrier check */
    Thread thread() {
        return thread;
    }

    /**
     * Stops the loops (each closes its stream with {@code close_notify}) and joins the run.
     *
     * @throws IllegalStateException if the run does not end within 30 s, or failed
     */
    @Override
    public void close() throws Exception {
        stop.complete(null);
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the TLS echo client did not stop within 30 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the TLS echo client's run failed", failure.get());
        }
    }
}
