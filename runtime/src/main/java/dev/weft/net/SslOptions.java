package dev.weft.net;

import java.util.List;
import java.util.Objects;

/**
 * How an {@link SslStream} behaves beyond what its {@link javax.net.ssl.SSLContext} says:
 * hostname verification, ALPN, protocol versions, client certificates, and how strictly the
 * end of the connection is checked. Immutable; each {@code with} method returns a copy.
 * {@snippet :
 * SslOptions h2 = SslOptions.defaults()
 *         .withApplicationProtocols("h2", "http/1.1")
 *         .withHttpsCompatible(true);
 * SslStream s = SslStream.client(tcp, SSLContext.getDefault(), "example.org", h2);
 * }
 *
 * <h2>The defaults</h2>
 * Hostname verification on (clients only), no ALPN, the context's protocol versions (TLS 1.2
 * and 1.3 for the JDK's {@code "TLS"} context), no client certificates asked for, and strict
 * closing: a peer that closes the connection without TLS's {@code close_notify} is an error.
 */
public final class SslOptions {

    /** Whether a server asks clients for a certificate. */
    public enum ClientAuth {
        /** The server does not ask for a client certificate. */
        NONE,
        /** The server asks; a client without a certificate is accepted. */
        WANTED,
        /** The server asks; a client without a trusted certificate fails the handshake. */
        REQUIRED
    }

    private static final SslOptions DEFAULTS = new SslOptions(true, false, List.of(), null, ClientAuth.NONE);

    private final boolean hostnameVerification;
    private final boolean httpsCompatible;
    private final List<String> applicationProtocols;
    private final List<String> protocols;
    private final ClientAuth clientAuth;

    private SslOptions(boolean hostnameVerification, boolean httpsCompatible, List<String> applicationProtocols,
            List<String> protocols, ClientAuth clientAuth) {
        this.hostnameVerification = hostnameVerification;
        this.httpsCompatible = httpsCompatible;
        this.applicationProtocols = applicationProtocols;
        this.protocols = protocols;
        this.clientAuth = clientAuth;
    }

    /**
     * Returns the defaults described in the class documentation.
     *
     * @return the default options
     */
    public static SslOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with hostname verification on or off. When on (the default), a client
     * checks that the server's certificate names the host it connected to (as HTTPS does, RFC
     * 2818), besides checking that a trusted authority signed it. Servers ignore this option.
     * Turn it off only for tests or for peers identified some other way.
     *
     * @param on whether to verify the server's name
     * @return the copy
     */
    public SslOptions withHostnameVerification(boolean on) {
        return new SslOptions(on, httpsCompatible, applicationProtocols, protocols, clientAuth);
    }

    /**
     * Returns a copy whose end-of-connection rule is the one HTTPS peers follow (Trio's
     * {@code https_compatible}). By default a transport that ends without the peer's
     * {@code close_notify} makes {@code receive} throw
     * {@link dev.weft.BrokenResourceException}, because an attacker who cuts the connection
     * could otherwise truncate the data unnoticed. HTTPS frames its own messages, and many
     * HTTPS peers just close the socket, so with this option such an end is the ordinary end
     * of the stream. {@link SslStream#close()} still sends {@code close_notify} either way.
     *
     * @param on whether a missing {@code close_notify} is an ordinary end of stream
     * @return the copy
     */
    public SslOptions withHttpsCompatible(boolean on) {
        return new SslOptions(hostnameVerification, on, applicationProtocols, protocols, clientAuth);
    }

    /**
     * Returns a copy offering (client) or accepting (server) these ALPN protocols, most
     * preferred first, such as {@code "h2", "http/1.1"}. A server picks the first of its own
     * list that the client offers; if there is none in common the handshake fails. After the
     * handshake {@link SslStream#applicationProtocol()} says which was chosen.
     *
     * @param protocols the protocol names; none to turn ALPN off
     * @return the copy
     * @throws NullPointerException if a name is null
     * @throws IllegalArgumentException if a name is empty
     */
    public SslOptions withApplicationProtocols(String... protocols) {
        for (String p : protocols) {
            if (Objects.requireNonNull(p, "protocol").isEmpty()) {
                throw new IllegalArgumentException("an ALPN protocol name must not be empty");
            }
        }
        return new SslOptions(hostnameVerification, httpsCompatible, List.of(protocols), this.protocols, clientAuth);
    }

    /**
     * Returns a copy that enables only these protocol versions, such as {@code "TLSv1.3"}.
     * Names the context does not support make the stream's creation fail.
     *
     * @param versions the versions, as {@link javax.net.ssl.SSLEngine#setEnabledProtocols}
     *     takes them
     * @return the copy
     * @throws IllegalArgumentException if no version is given
     */
    public SslOptions withProtocols(String... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("at least one protocol version is needed, such as \"TLSv1.3\"");
        }
        for (String v : versions) {
            Objects.requireNonNull(v, "version");
        }
        return new SslOptions(hostnameVerification, httpsCompatible, applicationProtocols, List.of(versions),
                clientAuth);
    }

    /**
     * Returns a copy with this client-certificate rule. Clients ignore this option.
     *
     * @param clientAuth whether a server asks for and requires client certificates
     * @return the copy
     */
    public SslOptions withClientAuth(ClientAuth clientAuth) {
        return new SslOptions(hostnameVerification, httpsCompatible, applicationProtocols, protocols,
                Objects.requireNonNull(clientAuth, "clientAuth"));
    }

    /** @return whether clients verify the server's name */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** @return whether a missing {@code close_notify} is an ordinary end of stream */
    public boolean httpsCompatible() {
        return httpsCompatible;
    }

    /** @return the ALPN protocols, most preferred first; empty when ALPN is off */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** @return the enabled protocol versions, or null for the context's defaults */
    public List<String> protocols() {
        return protocols;
    }

    /** @return the client-certificate rule of servers */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    @Override
    public String toString() {
        return "SslOptions[hostnameVerification=" + hostnameVerification + ", httpsCompatible=" + httpsCompatible
                + ", applicationProtocols=" + applicationProtocols + ", protocols="
                + (protocols == null ? "default" : protocols) + ", clientAuth=" + clientAuth + "]";
    }
}
