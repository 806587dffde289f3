package dev.weft.testing;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority that exists only in memory, for TLS tests: Python's
 * {@code trustme}, which Trio's tests use. It makes a CA certificate at run time, issues
 * server and client certificates for names like {@code "localhost"} and {@code "127.0.0.1"},
 * and hands them out as {@link SSLContext}s, a {@link KeyStore} or PEM, with the JDK alone.
 *
 * <p>Trust is all or nothing per authority: a context from {@link #clientContext()} trusts
 * certificates this authority issued and nothing else, not even the JDK's default roots,
 * so a test cannot pass by reaching a real server, and two authorities never trust each
 * other's certificates.
 * {@snippet :
 * TestCertificateAuthority ca = TestCertificateAuthority.create();
 * IssuedCertificate server = ca.issueCertificate("localhost", "127.0.0.1", "::1");
 *
 * // The server presents its certificate.
 * SSLServerSocket listener = (SSLServerSocket) server.serverContext()
 *         .getServerSocketFactory().createServerSocket(0);
 *
 * // The client trusts the authority and checks the host name, as HTTPS does.
 * SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory()
 *         .createSocket("localhost", listener.getLocalPort());
 * SSLParameters parameters = socket.getSSLParameters();
 * parameters.setEndpointIdentificationAlgorithm("HTTPS");
 * socket.setSSLParameters(parameters);
 * socket.startHandshake();
 *
 * // java.net.http checks the host name by default.
 * HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
 * }
 * Tools outside the JVM take PEM: write {@link #certificatePem()} to {@code ca.pem} and
 * call {@link IssuedCertificate#writePemFiles writePemFiles(chain.pem, key.pem)}, then run
 * {@code openssl s_server -cert chain.pem -key key.pem} or
 * {@code curl --cacert ca.pem https://localhost:4433/}.
 *
 * <h2>What the certificates hold</h2>
 * All are X.509 version 3, with an EC P-256 key, signed with SHA-256 with ECDSA, with a
 * random positive 16-octet serial number and subject and authority key identifiers.
 * <ul>
 *   <li>The authority's certificate is self-signed, for {@code O=Weft testing,
 *       CN=Weft test CA <hex>} (the hex is the start of its key identifier, so two
 *       authorities have different names), valid from a day before {@link #create()} until
 *       ten years after, with {@code BasicConstraints CA:true} and
 *       {@code KeyUsage keyCertSign, cRLSign}, both critical.
 *   <li>An issued certificate has its own new key, the subject
 *       {@code O=Weft testing, CN=<first identity>}, every identity in its
 *       {@code SubjectAltName}, {@code BasicConstraints CA:false} and
 *       {@code KeyUsage digitalSignature} (both critical) and
 *       {@code ExtendedKeyUsage serverAuth, clientAuth}, so it serves either side of a
 *       connection. It is valid from a day before it is issued until its authority expires.
 * </ul>
 *
 * <h2>Not for production</h2>
 * The private keys are ordinary heap objects, there is no revocation, and the validity is
 * long. Use an authority for one test run and let it go.
 *
 * <h2>Threads</h2>
 * An authority is immutable, and safe to share between threads and tests. No method is a
 * checkpoint or needs a Weft run; none blocks on I/O.
 *
 * @see IssuedCertificate
 */
public final class TestCertificateAuthority {
    private static final String ORGANIZATION = "Weft testing";
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final int VALID_YEARS = 10;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    /** The encoded subject {@code Name}; the issuer name of every certificate issued here. */
    private final byte[] name;

    private TestCertificateAuthority(PrivateKey privateKey, X509Certificate certificate, byte[] name) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.name = name;
    }

    /**
     * Makes a new authority: a new EC P-256 key pair and a self-signed CA certificate for
     * it, valid from one day ago for ten years. Not a checkpoint.
     *
     * @implNote Costs one key generation and one signature, a few
     *     milliseconds.
     * @return a new authority, trusted by nothing until a test uses it
     */
    public static TestCertificateAuthority create() {
        KeyPair keys = Certificates.newKeyPair();
        PublicKey publicKey = keys.getPublic();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.atZone(ZoneOffset.UTC).plusYears(VALID_YEARS).toInstant();
        byte[] keyIdentifier = Certificates.keyIdentifier(publicKey);
        byte[] name = Certificates.name(
                ORGANIZATION, "Weft test CA " + HexFormat.of().formatHex(keyIdentifier, 0, 4));
        X509Certificate certificate = Certificates.sign(
                name,
                name,
                now.minus(BACKDATE),
                notAfter,
                publicKey,
                keys.getPrivate(),
                List.of(
                        Certificates.extension(Certificates.BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                        Certificates.extension(Certificates.KEY_USAGE, true,
                                Der.namedBits(Certificates.KEY_CERT_SIGN, Certificates.CRL_SIGN)),
                        Certificates.extension(Certificates.SUBJECT_KEY_IDENTIFIER, false,
                                Certificates.subjectKeyIdentifier(publicKey)),
                        Certificates.extension(Certificates.AUTHORITY_KEY_IDENTIFIER, false,
                                Certificates.authorityKeyIdentifier(publicKey))));
        return new TestCertificateAuthority(keys.getPrivate(), certificate, name);
    }

    /**
     * Issues a certificate, with a new key pair, for the given identities. Each is either an
     * IP literal, IPv4 dotted quad ({@code "127.0.0.1"}) or IPv6 ({@code "::1"}), which
     * becomes an {@code iPAddress} name, or an ASCII DNS name ({@code "localhost"},
     * {@code "*.example.org"}), which becomes a {@code dNSName}. The first is also the
     * subject's common name. Names are never resolved. Not a checkpoint.
     *
     * <p>A client that checks host names accepts the certificate for a peer host that
     * matches one identity: the same DNS name ignoring case, a name one label below a
     * wildcard, or the same IP address.
     *
     * @implNote Costs one key generation and one signature, a few
     *     milliseconds.
     * @param identities the names the certificate is for, at least one
     * @return the certificate, its key, and its chain up to this authority
     * @throws IllegalArgumentException if {@code identities} is empty, or, naming it, if an
     *     identity is empty, is not an IP literal (IPv6 with a zone or in brackets, or all
     *     digits and dots but not a dotted quad), or is not a DNS name (non-ASCII, a
     *     character other than a letter, digit or {@code '-'}, an empty label, a label over
     *     63 characters, or {@code '*'} anywhere but as the whole first label)
     * @throws NullPointerException if {@code identities} or one of them is null
     */
    public IssuedCertificate issueCertificate(String... identities) {
        Objects.requireNonNull(identities, "identities");
        if (identities.length == 0) {
            throw new IllegalArgumentException("issueCertificate needs at least one identity, such as \"localhost\","
                    + " but none was given");
        }
        byte[] subjectAltNames = Certificates.subjectAltNames(identities);
        KeyPair keys = Certificates.newKeyPair();
        PublicKey publicKey = keys.getPublic();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate issued = Certificates.sign(
                name,
                Certificates.name(ORGANIZATION, identities[0]),
                now.minus(BACKDATE),
                certificate.getNotAfter().toInstant(),
                publicKey,
                privateKey,
                List.of(
                        Certificates.extension(Certificates.BASIC_CONSTRAINTS, true, Der.sequence()),
                        Certificates.extension(Certificates.KEY_USAGE, true,
                                Der.namedBits(Certificates.DIGITAL_SIGNATURE)),
                        Certificates.extension(Certificates.EXTENDED_KEY_USAGE, false,
                                Der.sequence(Der.oid(Certificates.SERVER_AUTH), Der.oid(Certificates.CLIENT_AUTH))),
                        Certificates.extension(Certificates.SUBJECT_ALT_NAME, false, subjectAltNames),
                        Certificates.extension(Certificates.SUBJECT_KEY_IDENTIFIER, false,
                                Certificates.subjectKeyIdentifier(publicKey)),
                        Certificates.extension(Certificates.AUTHORITY_KEY_IDENTIFIER, false,
                                Certificates.authorityKeyIdentifier(certificate.getPublicKey()))));
        return new IssuedCertificate(keys.getPrivate(), issued, certificate);
    }

    /**
     * Returns the authority's self-signed certificate, the trust anchor for everything it
     * issues. Not a checkpoint.
     *
     * @return the CA certificate; the same object on every call
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Returns the authority's certificate in PEM, for {@code openssl -CAfile},
     * {@code curl --cacert} and the like. Not a checkpoint.
     *
     * @return one {@code -----BEGIN CERTIFICATE-----} block, ending in a newline
     */
    public String certificatePem() {
        return pem(certificate);
    }

    /**
     * Makes a {@code "TLS"} context for clients that trust this authority and nothing else.
     * It has no key manager, so it presents no client certificate; for that, use
     * {@link IssuedCertificate#clientContext()}. It does not check host names by itself:
     * set {@link javax.net.ssl.SSLParameters#setEndpointIdentificationAlgorithm
     * setEndpointIdentificationAlgorithm("HTTPS")} on the socket or engine, or use a client
     * that does, like {@link java.net.http.HttpClient}. Not a checkpoint.
     *
     * @implNote Each call makes a new context, so no TLS sessions are resumed across calls;
     *     making one costs under a millisecond once the JDK's TLS classes are loaded.
     * @return a new, initialized context
     */
    public SSLContext clientContext() {
        return Certificates.sslContext(certificate, null, List.of());
    }

    /**
     * Makes a key store that holds this authority's certificate as its one trusted entry,
     * for APIs that take a trust store rather than a context. The store is PKCS#12, in
     * memory, already loaded, and has no password. Not a checkpoint.
     *
     * @return a new store; changing it changes no other
     */
    public KeyStore trustStore() {
        return Certificates.trustStore(certificate);
    }

    /**
     * Returns a description naming the authority's certificate subject. Not a checkpoint.
     *
     * @return {@code TestCertificateAuthority[<subject>]}
     */
    @Override
    public String toString() {
        return "TestCertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }

    static String pem(X509Certificate certificate) {
        try {
            return Certificates.pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("could not encode " + certificate.getSubjectX500Principal(), e);
        }
    }
}
