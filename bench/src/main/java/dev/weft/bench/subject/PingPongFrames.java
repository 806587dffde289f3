package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;

/**
 * The frames of one {@link PingPong} checkpoint player without the scheduler: an entry that
 * calls a lambda through {@link AsyncRunnable} (as the runtime's entry of a task started
 * with {@code startSoon} does), whose loop calls an {@code @Async} method (where the player
 * calls {@code Weft.checkpoint()}) that calls {@link Continuation#suspend()}. So each
 * {@link Continuation#run()} of it rebuilds and unwinds the same three woven frames as one
 * switch of the checkpoint player, and does nothing else.
 *
 * <p>{@link dev.weft.bench.PingPongBenchmark}'s {@code continuationsOnly} drives two of these
 * by hand, alternately, to split a switch's cost between the frames and the scheduler.
 */
public final class PingPongFrames implements AsyncCallable<Object> {
    private final int each;
    private final AsyncRunnable player;

    /**
     * @param each suspensions before the body returns
     */
    public PingPongFrames(int each) {
        this.each = each;
        int n = each;
        this.player = () -> {
            for (int i = 0; i < n; i++) {
                point();
            }
        };
    }

    @Override
    @Async
    public Object call() throws Exception {
        player.run();
        return each;
    }

    /** Where the checkpoint player calls {@code Weft.checkpoint()}: one more woven frame. */
    @Async
    static void point() {
        Continuation.suspend();
    }
}
