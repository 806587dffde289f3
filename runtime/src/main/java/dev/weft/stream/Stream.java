package dev.weft.stream;

/**
 * A byte stream in both directions, such as a TCP connection: Trio's {@code trio.abc.Stream}.
 * It is a {@link SendStream} and a {@link ReceiveStream} at once; one task may send while
 * another receives, but two tasks may not both send (or both receive) at the same time.
 * {@snippet :
 * @Async
 * static void echo(Stream s) {
 *     for (byte[] b; (b = s.receiveSome(4096)).length > 0; ) {
 *         s.sendAll(b);
 *     }
 *     s.close();
 * }
 * }
 *
 * <h2>Rules</h2>
 * The rules of {@link SendStream} and {@link ReceiveStream} hold for each direction.
 * {@link #close()} closes both directions: blocked senders and receivers of this stream get
 * {@link dev.weft.ClosedResourceException}, and the peer's receives see the end of the stream.
 *
 * @see HalfCloseableStream
 * @see StapledStream
 */
public interface Stream extends SendStream, ReceiveStream {
}
