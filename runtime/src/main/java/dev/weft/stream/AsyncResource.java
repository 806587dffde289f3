package dev.weft.stream;

import dev.weft.annotation.Async;

/**
 * Something that must be closed, and whose closing may block: Trio's
 * {@code trio.abc.AsyncResource}. Not {@link AutoCloseable}, whose {@code close()} cannot
 * suspend; close it in a {@code finally}.
 * {@snippet :
 * ReceiveStream in = process.stdout();
 * try {
 *     consume(in);
 * } finally {
 *     in.close();
 * }
 * }
 */
public interface AsyncResource {

    /**
     * Closes the resource. Idempotent: closing it again only checkpoints. A checkpoint; if it
     * is cancelled, the resource is still closed (perhaps less gracefully), and then
     * {@link dev.weft.Cancelled} is thrown. Other tasks blocked on the resource get
     * {@link dev.weft.ClosedResourceException}.
     *
     * @throws dev.weft.Cancelled if the task is cancelled; the resource is closed anyway
     */
    @Async
    void close();
}
