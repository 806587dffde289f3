package dev.weft.process;

import dev.weft.annotation.Async;

/**
 * The body of {@link Processes#open(ProcessOptions, ProcessBody)}: async code that talks to a
 * running child process.
 *
 * @param <T> what the body returns
 * @param <X> the checked exception it may throw
 */
@FunctionalInterface
public interface ProcessBody<T, X extends Exception> {
    /**
     * Runs the body.
     *
     * @param process the child, running
     * @return the body's value
     * @throws X as the body does
     */
    @Async
    T apply(WeftProcess process) throws X;
}
