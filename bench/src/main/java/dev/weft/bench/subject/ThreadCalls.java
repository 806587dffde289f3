package dev.weft.bench.subject;

import dev.weft.AsyncCallable;
import dev.weft.ThreadOptions;
import dev.weft.Weft;
import dev.weft.annotation.Async;

/**
 * A main task that hands a trivial callable to {@code Weft.runInThread} {@code calls} times,
 * one after another, and returns the sum of what came back: the round trip of the threads
 * bridge, task to worker thread and back.
 *
 * <p>{@link dev.weft.bench.ThreadsBenchmark} runs the woven copy as the main task of a run,
 * with or without the run's default capacity limiter.
 */
public final class ThreadCalls implements AsyncCallable<Object> {
    private static final ThreadOptions UNLIMITED = ThreadOptions.defaults().withoutLimiter();

    private final int calls;
    private final boolean limited;

    /**
     * @param calls round trips to make, at least 0
     * @param limited whether each call borrows a token of the run's default limiter (the
     *     default of {@code runInThread}) or runs unlimited
     */
    public ThreadCalls(int calls, boolean limited) {
        if (calls < 0) {
            throw new IllegalArgumentException("calls must be >= 0, was " + calls);
        }
        this.calls = calls;
        this.limited = limited;
    }

    @Override
    @Async
    public Object call() throws Exception {
        long sum = 0;
        ThreadOptions options = limited ? ThreadOptions.defaults() : UNLIMITED;
        for (int i = 0; i < calls; i++) {
            sum += Weft.runInThread(ThreadCalls::one, options);
        }
        return sum;
    }

    private static Integer one() {
        return 1;
    }
}
