package dev.weft.net;

import dev.weft.annotation.Async;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Turns a host name into its addresses, for {@link HappyEyeballs}. In production the system
 * resolver on a worker thread; tests give fixed addresses without a name service.
 */
@FunctionalInterface
interface HostResolver {
    /**
     * Resolves {@code host}. May be a checkpoint.
     *
     * @param host a name or an address literal
     * @return the addresses, in the resolver's order of preference; may be empty
     * @throws IOException if the name does not resolve
     */
    @Async
    List<InetAddress> resolve(String host) throws IOException;
}
