package dev.weft.net;

import dev.weft.testing.IssuedCertificate;
import dev.weft.testing.TestCertificateAuthority;

/** Certificates for the TLS tests, made once per test JVM. */
final class Tls {
    /** The authority the clients trust. */
    static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    /** The server's certificate, for {@code localhost} and {@code 127.0.0.1}. */
    static final IssuedCertificate SERVER = CA.issueCertificate("localhost", "127.0.0.1");
    /** An authority nobody's certificate comes from. */
    static final TestCertificateAuthority OTHER_CA = TestCertificateAuthority.create();

    private Tls() {
    }
}
