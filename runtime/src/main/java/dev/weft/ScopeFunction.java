package dev.weft;

import dev.weft.annotation.Async;

/**
 * A value-returning body of a {@link CancelScope}; see {@link ScopeBody}.
 *
 * @param <T> the value's type
 * @param <X> the checked exception the body may throw
 */
@FunctionalInterface
public interface ScopeFunction<T, X extends Exception> {
    /**
     * Runs the body.
     *
     * @return its value
     * @throws X as the body does
     */
    @Async
    T call() throws X;
}
