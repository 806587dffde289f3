package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.weft.AsyncCallable;
import dev.weft.Weft;
import dev.weft.bench.subject.ThreadCalls;
import dev.weft.bench.subject.TokenServer;
import dev.weft.lowlevel.RunToken;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The subjects of {@link ThreadsBenchmark} weave and behave as the benchmark assumes. */
class ThreadsWeavingTest {

    @Test
    void load_threadCalls_makesEveryRoundTripWithAndWithoutTheLimiter() throws Exception {
        ClassLoader woven = Weaving.load(ThreadCalls.class);
        for (boolean limited : new boolean[] {true, false}) {
            AsyncCallable<?> calls = Weaving.newWoven(woven, ThreadCalls.class, AsyncCallable.class, 100, limited);
            assertEquals(100L, Weft.runner().handleInterrupts(false).run(calls));
        }
    }

    @Test
    void load_tokenServer_publishesItsTokenAndAnswersUntilStopped() throws Exception {
        CompletableFuture<Object> published = new CompletableFuture<>();
        CompletableFuture<Object> stop = new CompletableFuture<>();
        AsyncCallable<?> server = Weaving.newWoven(Weaving.load(TokenServer.class), TokenServer.class,
                AsyncCallable.class, published, stop);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Weft.runner().handleInterrupts(false).run(server);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        RunToken token = assertInstanceOf(RunToken.class, published.get(10, TimeUnit.SECONDS));
        assertEquals(3, token.runSync(() -> 3));
        assertEquals(4, token.run(() -> 4));
        stop.complete(null);
        t.join(10_000);
        assertEquals(null, failure.get());
        assertEquals(false, t.isAlive());
    }
}
