package dev.weft.channel;

/**
 * Thrown by {@link ReceiveChannel#receive()} and {@link ReceiveChannel#tryReceive()} when the
 * channel has ended: every send end is closed and every value sent has been received.
 * Trio's {@code EndOfChannel}.
 *
 * <p>It is the normal end of a stream of values, not an error; {@link
 * ReceiveChannel#receiveOrNull()} reports the same condition by returning null, which is the
 * usual way to loop over a channel. It lives here, not in {@code dev.weft}, because only
 * channels end this way.
 */
public class EndOfChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which channel ended, and the call that found out
     */
    public EndOfChannelException(String message) {
        super(message);
    }
}
