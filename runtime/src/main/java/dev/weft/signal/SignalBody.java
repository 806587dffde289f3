package dev.weft.signal;

import dev.weft.annotation.Async;

/**
 * The body of {@link Signals#receive}: async code that takes the signals from its receiver.
 *
 * @param <X> the checked exception it may throw
 */
@FunctionalInterface
public interface SignalBody<X extends Exception> {
    /**
     * Runs the body while the signals are redirected to {@code receiver}.
     *
     * @param receiver where the signals arrive
     * @throws X as the body does
     */
    @Async
    void run(SignalReceiver receiver) throws X;
}
