package dev.weft.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A certificate that a {@link TestCertificateAuthority} issued, with its private key: what
 * a TLS server (or a client that authenticates itself) presents. Get one from
 * {@link TestCertificateAuthority#issueCertificate(String...)}.
 * {@snippet :
 * IssuedCertificate localhost = ca.issueCertificate("localhost", "127.0.0.1");
 * SSLEngine server = localhost.serverContext().createSSLEngine();
 * server.setUseClientMode(false);
 *
 * localhost.writePemFiles(dir.resolve("chain.pem"), dir.resolve("key.pem"));
 * // openssl s_server -cert chain.pem -key key.pem -accept 4433
 * }
 *
 * <p>The chain is the certificate, then the authority's: a server sends both, and a peer
 * that trusts the authority needs nothing else. Both contexts also trust the authority, so
 * a server made from {@link #serverContext()} can demand client certificates
 * ({@link javax.net.ssl.SSLEngine#setNeedClientAuth setNeedClientAuth(true)}) from clients
 * made from another certificate's {@link #clientContext()}.
 *
 * <p>Immutable, and safe to share between threads. No method is a checkpoint or needs a
 * Weft run.
 *
 * @see TestCertificateAuthority
 */
public final class IssuedCertificate {
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final X509Certificate issuer;
    private final List<X509Certificate> chain;

    IssuedCertificate(PrivateKey privateKey, X509Certificate certificate, X509Certificate issuer) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.issuer = issuer;
        this.chain = List.of(certificate, issuer);
    }

    /**
     * Returns the certificate's private key, an EC P-256 key made for it alone. Not a
     * checkpoint.
     *
     * @return the private key; the same object on every call
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * Returns the issued (leaf) certificate. Not a checkpoint.
     *
     * @return the certificate; the same object on every call
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Returns the chain a peer is sent: this certificate, then the authority's. Not a
     * checkpoint.
     *
     * @return an unmodifiable list of two certificates
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Makes a {@code "TLS"} context for a server that presents this certificate and its
     * chain, and trusts the issuing authority for client certificates (which it asks for
     * only if the socket or engine is told to). Not a checkpoint.
     *
     * @implNote Each call makes a new context, so no TLS sessions are resumed across calls;
     *     making one costs a few milliseconds, mostly sealing the key into an in-memory
     *     PKCS#12 key store for the JDK's key manager.
     * @return a new, initialized context
     */
    public SSLContext serverContext() {
        return Certificates.sslContext(issuer, privateKey, chain);
    }

    /**
     * Makes a {@code "TLS"} context for a client that presents this certificate when a
     * server asks for one, and trusts the issuing authority and nothing else. Its contents
     * are those of {@link #serverContext()}; the two names say which end it is for. Host
     * names are checked only if the socket or engine is told to, as for
     * {@link TestCertificateAuthority#clientContext()}. Not a checkpoint.
     *
     * @implNote Each call makes a new context, so no TLS sessions are resumed across calls;
     *     it costs what {@link #serverContext()} costs.
     * @return a new, initialized context
     */
    public SSLContext clientContext() {
        return Certificates.sslContext(issuer, privateKey, chain);
    }

    /**
     * Returns the chain in PEM: this certificate, then the authority's, as
     * {@code openssl s_server -cert} and most servers' certificate files take it. Not a
     * checkpoint.
     *
     * @return two {@code -----BEGIN CERTIFICATE-----} blocks, ending in a newline
     */
    public String certificateChainPem() {
        return TestCertificateAuthority.pem(certificate) + TestCertificateAuthority.pem(issuer);
    }

    /**
     * Returns the private key in unencrypted PKCS#8 PEM, as {@code openssl s_server -key}
     * takes it. Not a checkpoint.
     *
     * @return one {@code -----BEGIN PRIVATE KEY-----} block, ending in a newline
     */
    public String privateKeyPem() {
        return Certificates.pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /**
     * Writes {@link #certificateChainPem()} and {@link #privateKeyPem()} to two files,
     * replacing them if they exist, for tools outside the JVM:
     * {@code openssl s_server -cert certificateChainFile -key privateKeyFile}. The files get
     * the default permissions of new files; the key is unencrypted, which is fine for a test
     * key and for nothing else. Not a checkpoint; it blocks the thread on file I/O.
     *
     * @param certificateChainFile where the chain goes
     * @param privateKeyFile where the key goes; may not be the same file
     * @throws IOException if a file cannot be written
     * @throws IllegalArgumentException if both paths are the same
     * @throws NullPointerException if either path is null
     */
    public void writePemFiles(Path certificateChainFile, Path privateKeyFile) throws IOException {
        Objects.requireNonNull(certificateChainFile, "certificateChainFile");
        Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        if (certificateChainFile.toAbsolutePath().normalize().equals(privateKeyFile.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("certificateChainFile and privateKeyFile must differ, both were "
                    + certificateChainFile + ". Fix: write the key to its own file, such as key.pem");
        }
        Files.writeString(certificateChainFile, certificateChainPem(), StandardCharsets.US_ASCII);
        Files.writeString(privateKeyFile, privateKeyPem(), StandardCharsets.US_ASCII);
    }

    /**
     * Returns a description naming the certificate's subject and issuer. Not a checkpoint.
     *
     * @return {@code IssuedCertificate[<subject>, issued by <issuer>]}
     */
    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + ", issued by "
                + issuer.getSubjectX500Principal().getName() + "]";
    }
}
