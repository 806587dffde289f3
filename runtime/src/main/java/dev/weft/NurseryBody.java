package dev.weft;

import dev.weft.annotation.Async;

/**
 * The block of a nursery (see {@link Nursery#open}): runs with the nursery open, typically
 * starting children in it. Whatever it throws joins the nursery's failures.
 */
@FunctionalInterface
public interface NurseryBody {
    /**
     * Runs the block.
     *
     * @param nursery the open nursery
     * @throws Exception if the block fails; the nursery cancels its children and reports the
     *     failure in its {@link FailureGroup}
     */
    @Async
    void run(Nursery nursery) throws Exception;
}
