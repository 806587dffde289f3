package dev.weft;

import dev.weft.annotation.Async;

/**
 * The body of a {@link CancelScope}: an async block that may throw {@code X}, which the
 * scope rethrows unchanged. Java infers {@code X} from the lambda's body, so a body that
 * throws no checked exception makes {@link CancelScope#run} throw none either.
 *
 * @param <X> the checked exception the body may throw
 */
@FunctionalInterface
public interface ScopeBody<X extends Exception> {
    /**
     * Runs the body.
     *
     * @throws X as the body does
     */
    @Async
    void run() throws X;
}
