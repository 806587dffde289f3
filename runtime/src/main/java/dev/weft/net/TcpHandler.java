package dev.weft.net;

import dev.weft.annotation.Async;

/** What {@link Net#serveTcp} runs for each accepted connection, in its own task. */
@FunctionalInterface
public interface TcpHandler {
    /**
     * Serves one connection. The stream is closed when this returns or throws.
     *
     * @param stream the connection
     * @throws Exception if serving fails; the failure ends the server (as in Trio), so a
     *     handler that should survive bad clients catches what it expects
     */
    @Async
    void handle(SocketStream stream) throws Exception;
}
