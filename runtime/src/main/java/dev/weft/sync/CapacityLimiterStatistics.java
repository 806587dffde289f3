package dev.weft.sync;

import java.util.List;

/**
 * A snapshot of a {@link CapacityLimiter}, for debugging and tests.
 *
 * @param borrowedTokens how many tokens are borrowed; may exceed {@code totalTokens} just
 *     after the total was lowered
 * @param totalTokens the limiter's capacity
 * @param borrowers who holds the tokens (tasks, or the objects given to
 *     {@code acquireOnBehalfOf}), in the order they got them; an unmodifiable copy
 * @param tasksWaiting how many tasks are blocked in {@code acquire} or
 *     {@code acquireOnBehalfOf}
 */
public record CapacityLimiterStatistics(int borrowedTokens, int totalTokens, List<Object> borrowers,
        int tasksWaiting) {
    /** Copies {@code borrowers}, so the snapshot does not change with the limiter. */
    public CapacityLimiterStatistics {
        borrowers = List.copyOf(borrowers);
    }
}
