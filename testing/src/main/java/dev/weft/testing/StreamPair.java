package dev.weft.testing;

import dev.weft.annotation.Async;
import dev.weft.stream.AsyncResource;
import java.util.Objects;

/**
 * Two connected stream ends, as the factories of {@link MemoryStreams} return them and the
 * suites of {@link StreamChecks} take them. For a one-way pair, {@code first} sends and
 * {@code second} receives; for a two-way pair, each is the other's peer.
 *
 * @param first the first end (the sender of a one-way pair)
 * @param second the second end (the receiver of a one-way pair)
 * @param <A> the first end's type
 * @param <B> the second end's type
 */
public record StreamPair<A extends AsyncResource, B extends AsyncResource>(A first, B second) {

    /**
     * Checks that both ends are given.
     *
     * @throws NullPointerException if either is null
     */
    public StreamPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /**
     * Closes both ends, the second even if closing the first fails. A checkpoint.
     *
     * @throws dev.weft.Cancelled if the task is cancelled; both ends are closed anyway
     */
    @Async
    public void closeBoth() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
