package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.AwaitCancellation;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import java.util.concurrent.CompletableFuture;

/**
 * A main task that publishes its run's token and then waits, parked, until told to stop:
 * a run that does nothing but answer calls from other threads.
 *
 * <p>{@link dev.weft.bench.ThreadsBenchmark} runs the woven copy on a background thread and
 * calls in through the token from the benchmark threads.
 */
public final class TokenServer implements AsyncCallable<Object> {
    private final CompletableFuture<Object> token;
    private final CompletableFuture<Object> stop;

    /**
     * @param token completed with the run's {@code RunToken} once the run is up
     * @param stop completed by whoever wants the run to end
     */
    public TokenServer(CompletableFuture<Object> token, CompletableFuture<Object> stop) {
        this.token = token;
        this.stop = stop;
    }

    @Override
    @Async
    public Object call() throws Exception {
        token.complete(Lowlevel.currentRunToken());
        Weft.await(stop, AwaitCancellation.STOP_WAITING);
        return null;
    }
}
