package dev.weft;

import dev.weft.annotation.Async;

/**
 * A computation that may suspend and returns a value: the async counterpart of
 * {@link java.util.concurrent.Callable}.
 *
 * <p>Lambdas and method references that implement this interface are woven, so their
 * bodies may call {@link Async @Async} methods.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface AsyncCallable<T> {
    /**
     * Runs the computation. A suspension point when called from {@code @Async} code.
     *
     * @return the result
     * @throws Exception if the computation fails
     */
    @Async
    T call() throws Exception;
}
