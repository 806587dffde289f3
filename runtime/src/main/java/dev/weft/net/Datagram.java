package dev.weft.net;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * One datagram received by {@link UdpSocket#receive(int)}: its bytes and the address it came
 * from. The array is the caller's; the record does not copy it, so {@code equals} compares
 * the arrays by identity.
 *
 * @param data the datagram's bytes, at most the {@code maxBytes} the receive asked for
 * @param sender the address of the socket that sent it
 */
public record Datagram(byte[] data, SocketAddress sender) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code data} or {@code sender} is null
     */
    public Datagram {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sender, "sender");
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + sender + "]";
    }
}
