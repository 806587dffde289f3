package dev.weft;

import dev.weft.annotation.Async;

/**
 * A nursery block that returns a value (see {@link Nursery#call}).
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface NurseryFunction<T> {
    /**
     * Runs the block.
     *
     * @param nursery the open nursery
     * @return the value {@link Nursery#call} returns once every child has ended
     * @throws Exception if the block fails
     */
    @Async
    T apply(Nursery nursery) throws Exception;
}
