package dev.weft.bench;

/**
 * Where the woven TLS echo client ({@link dev.weft.bench.subject.TlsEchoClient}) reports each
 * completed round trip. Public, so that the woven copy, defined by another class loader,
 * can call it. Called on the client's run thread only.
 */
public interface RoundTripSink {
    /**
     * Records one round trip.
     *
     * @param connection the connection's index, 0 to {@code connections - 1}
     * @param nanos the time from the send to the last byte of the echo
     */
    void roundTrip(int connection, long nanos);
}
