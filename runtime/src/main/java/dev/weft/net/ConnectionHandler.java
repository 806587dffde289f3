package dev.weft.net;

import dev.weft.annotation.Async;
import dev.weft.stream.AsyncResource;

/**
 * What {@link Net#serveListeners} (and {@link Net#serveTcp}) runs for each accepted
 * connection, in its own task: Trio's {@code handler} argument of {@code serve_listeners}.
 * {@snippet :
 * Net.serveTcp(8080, "127.0.0.1", s -> {
 *     s.sendAll("hello\n".getBytes(StandardCharsets.US_ASCII));
 * }, status);
 * }
 *
 * @param <S> what each connection is, such as {@link SocketStream}
 */
@FunctionalInterface
public interface ConnectionHandler<S extends AsyncResource> {
    /**
     * Serves one connection. The server closes the connection when this returns or throws,
     * forcefully (its close runs in a cancelled scope, so a TLS goodbye is not waited for). A
     * checkpoint, usually.
     *
     * @param connection the connection; the server owns it, and it must not be used after
     *     this returns
     * @throws Exception if serving fails; the failure ends the server (as in Trio), so a
     *     handler that should survive bad clients catches what it expects
     * @throws dev.weft.Cancelled when the server is cancelled
     */
    @Async
    void handle(S connection) throws Exception;
}
