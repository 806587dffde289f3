/**
 * Channels that carry values between tasks: {@link dev.weft.channel.SendChannel} and
 * {@link dev.weft.channel.ReceiveChannel}, their in-memory implementation
 * ({@link dev.weft.channel.MemoryChannel#open(int)}), and
 * {@link dev.weft.channel.Channels#produce} for producer tasks. Trio's {@code trio._channel}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>{@code send} and {@code receive} are checkpoints, even when they need not block, and
 *       atomic with respect to cancellation; blocked tasks are served in arrival order.
 *   <li>Non-blocking variants follow the convention of {@code dev.weft.sync}: they never
 *       block, are not checkpoints, and say "would have to wait" by their result, not by an
 *       exception: {@code trySend} returns {@code false}, {@code tryReceive} returns
 *       {@code null}. So channels do not carry null.
 *   <li>Closing is synchronous ({@code close()}, never a checkpoint), so every end is an
 *       {@link java.lang.AutoCloseable} for try-with-resources, also in cancelled code.
 *   <li>The end of a stream of values is {@link dev.weft.channel.EndOfChannelException}
 *       from {@code receive}, or null from {@code receiveOrNull}, which is the loop idiom:
 *       {@code for (T x; (x = rx.receiveOrNull()) != null; ) { ... }}. A channel is not an
 *       {@link java.lang.Iterable}; {@link dev.weft.channel.ReceiveChannel} says why.
 *   <li>The other side gone: {@link dev.weft.BrokenResourceException}; one's own end closed:
 *       {@link dev.weft.ClosedResourceException}. Both live in {@code dev.weft}, because
 *       locks, streams and processes throw them too.
 * </ul>
 *
 * <h2>Layering</h2>
 * Built only on the public {@code dev.weft} API and {@link dev.weft.lowlevel}; never on
 * {@code dev.weft.internal} ({@code LayeringTest} enforces it). Everything here must be used
 * on the run's thread.
 */
package dev.weft.channel;
