package dev.weft;

import dev.weft.annotation.Async;

/**
 * A computation that may suspend and returns nothing: the async counterpart of
 * {@link Runnable}, allowed to throw checked exceptions.
 *
 * <p>Lambdas and method references that implement this interface are woven, so their
 * bodies may call {@link Async @Async} methods.
 */
@FunctionalInterface
public interface AsyncRunnable {
    /**
     * Runs the computation. A suspension point when called from {@code @Async} code.
     *
     * @throws Exception if the computation fails
     */
    @Async
    void run() throws Exception;
}
