package dev.weft.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The mechanics behind {@link TestCertificateAuthority} and {@link IssuedCertificate}:
 * key pairs, the {@code TBSCertificate} of RFC 5280 section 4.1 encoded with {@link Der},
 * its signature, identities as {@code GeneralName}s, PEM, and {@link SSLContext}s.
 *
 * <p>Every certificate is version 3, signed with {@code ecdsa-with-SHA256} by a P-256
 * key, and carries a subject key identifier and an authority key identifier (the SHA-1 of
 * the key's bits, RFC 5280 section 4.2.1.2 method 1), which OpenSSL 3 uses to build
 * chains.
 */
final class Certificates {
    static final String SHA256_WITH_ECDSA = "1.2.840.10045.4.3.2";
    static final String COMMON_NAME = "2.5.4.3";
    static final String ORGANIZATION = "2.5.4.10";
    static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    static final String KEY_USAGE = "2.5.29.15";
    static final String SUBJECT_ALT_NAME = "2.5.29.17";
    static final String BASIC_CONSTRAINTS = "2.5.29.19";
    static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /** {@code KeyUsage} bit numbers (RFC 5280 section 4.2.1.3). */
    static final int DIGITAL_SIGNATURE = 0;
    static final int KEY_CERT_SIGN = 5;
    static final int CRL_SIGN = 6;

    /** {@code GeneralName} choices (RFC 5280 section 4.2.1.6). */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    /** The password of the in-memory key stores; never seen outside this package. */
    private static final char[] KEY_STORE_PASSWORD = "weft-testing".toCharArray();
    private static final int MAX_DNS_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    /** Serial numbers and key pairs. Thread-safe. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    // ---------------------------------------------------------------- keys and signing

    /** A new EC key pair on NIST P-256 ({@code secp256r1}). */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** A random positive serial number of 16 octets (RFC 5280 allows up to 20). */
    static BigInteger newSerialNumber() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    /** The SHA-1 of a public key's bits: its key identifier (RFC 5280 section 4.2.1.2). */
    static byte[] keyIdentifier(PublicKey key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(Der.subjectPublicKey(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-1", e);
        }
    }

    /**
     * Encodes, signs and parses one certificate.
     *
     * @param issuerName the issuer's encoded {@code Name}; the subject's for a self-signed one
     * @param subjectName the subject's encoded {@code Name}
     * @param subjectKey the key the certificate binds to {@code subjectName}
     * @param signingKey the issuer's private key
     * @param extensions encoded {@code Extension}s, from {@link #extension}
     */
    static X509Certificate sign(
            byte[] issuerName,
            byte[] subjectName,
            Instant notBefore,
            Instant notAfter,
            PublicKey subjectKey,
            PrivateKey signingKey,
            List<byte[]> extensions) {
        byte[] signatureAlgorithm = Der.sequence(Der.oid(SHA256_WITH_ECDSA));
        byte[] tbsCertificate = Der.sequence(
                Der.explicit(0, Der.integer(2)),                  // version v3
                Der.integer(newSerialNumber()),
                signatureAlgorithm,
                issuerName,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subjectName,
                subjectKey.getEncoded(),                            // already a SubjectPublicKeyInfo
                Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(signingKey, RANDOM);
            signer.update(tbsCertificate);
            byte[] certificate = Der.sequence(tbsCertificate, signatureAlgorithm, Der.bitString(signer.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign or parse a test certificate", e);
        }
    }

    /** A {@code Name} of one {@code O} and one {@code CN}, each in its own RDN. */
    static byte[] name(String organization, String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8String(organization))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
    }

    /** An {@code Extension}; {@code critical} is left out when false, its DER default. */
    static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** The subject key identifier extension's value. */
    static byte[] subjectKeyIdentifier(PublicKey key) {
        return Der.octetString(keyIdentifier(key));
    }

    /** The authority key identifier extension's value: {@code keyIdentifier [0]} only. */
    static byte[] authorityKeyIdentifier(PublicKey issuerKey) {
        return Der.sequence(Der.implicit(0, keyIdentifier(issuerKey)));
    }

    // ---------------------------------------------------------------- identities

    /**
     * The {@code SubjectAltName} value for {@code identities}: an {@code iPAddress} for each
     * IPv4 or IPv6 literal, a {@code dNSName} for everything else.
     *
     * @throws NullPointerException if an identity is null
     * @throws IllegalArgumentException naming the identity, if one is neither an IP literal
     *     nor an ASCII DNS name (optionally with {@code *} as its whole first label)
     */
    static byte[] subjectAltNames(String... identities) {
        List<byte[]> names = new ArrayList<>();
        for (int i = 0; i < identities.length; i++) {
            String identity = identities[i];
            if (identity == null) {
                throw new NullPointerException("identities[" + i + "] is null");
            }
            if (identity.isEmpty()) {
                throw new IllegalArgumentException("identities[" + i + "] is empty; an identity is a DNS name"
                        + " such as \"localhost\" or an IP address such as \"127.0.0.1\"");
            }
            byte[] address = ipAddress(identity, i);
            names.add(address != null
                    ? Der.implicit(IP_ADDRESS, address)
                    : Der.implicit(DNS_NAME, checkDnsName(identity, i).getBytes(StandardCharsets.US_ASCII)));
        }
        return Der.sequence(names.toArray(byte[][]::new));
    }

    /**
     * The octets of {@code identity} if it is an IP literal (four for IPv4, sixteen for
     * IPv6), or null if it is not one. Never resolves a name.
     */
    private static byte[] ipAddress(String identity, int index) {
        if (identity.indexOf(':') >= 0) {
            if (identity.indexOf('%') >= 0 || identity.startsWith("[")) {
                throw badIdentity(identity, index, "an IPv6 literal may have no zone and no brackets");
            }
            try {
                // A string with ':' is only ever parsed as an IPv6 literal, never looked up.
                return InetAddress.getByName(identity).getAddress();
            } catch (UnknownHostException e) {
                throw badIdentity(identity, index, "it is not a valid IPv6 address");
            }
        }
        if (!identity.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        String[] parts = identity.split("\\.", -1);
        if (parts.length != 4) {
            throw badIdentity(identity, index, "it is all digits and dots but not a dotted-quad IPv4 address");
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || Integer.parseInt(part) > 255) {
                throw badIdentity(identity, index, "IPv4 parts must be 0 to 255 without leading zeros");
            }
            address[i] = (byte) Integer.parseInt(part);
        }
        return address;
    }

    /** Returns {@code name} if it is an ASCII DNS name, {@code *} allowed as the whole first label. */
    private static String checkDnsName(String name, int index) {
        if (name.length() > MAX_DNS_NAME_LENGTH) {
            throw badIdentity(name, index, "a DNS name has at most " + MAX_DNS_NAME_LENGTH + " characters");
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.isEmpty()) {
                throw badIdentity(name, index, "it has an empty label (a leading, trailing or doubled '.')");
            }
            if (label.equals("*")) {
                if (i != 0 || labels.length < 2) {
                    throw badIdentity(name, index, "'*' may only be the whole first label of a longer name,"
                            + " as in \"*.example.org\"");
                }
                continue;
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw badIdentity(name, index, "a DNS label has at most " + MAX_LABEL_LENGTH + " characters");
            }
            for (int j = 0; j < label.length(); j++) {
                char c = label.charAt(j);
                boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (c > 0x7f) {
                    throw badIdentity(name, index, "a DNS name must be ASCII. Fix: pass java.net.IDN.toASCII(name)");
                }
                if (!letterOrDigit && c != '-') {
                    throw badIdentity(name, index, "a DNS label holds only letters, digits and '-', found '" + c + "'");
                }
                if (c == '-' && (j == 0 || j == label.length() - 1)) {
                    throw badIdentity(name, index, "a DNS label may not start or end with '-'");
                }
            }
        }
        return name;
    }

    private static IllegalArgumentException badIdentity(String identity, int index, String why) {
        return new IllegalArgumentException("identities[" + index + "] \"" + identity
                + "\" is neither a DNS name nor an IP address: " + why);
    }

    // ---------------------------------------------------------------- PEM and TLS

    /** PEM (RFC 7468): the label's BEGIN line, base64 in 64-column lines, the END line. */
    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** A new PKCS#12 key store in memory, holding {@code ca} as its one trusted certificate. */
    static KeyStore trustStore(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("weft-test-ca", ca);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not make an in-memory trust store", e);
        }
    }

    /**
     * A new {@code "TLS"} context that trusts only {@code ca} and, if {@code key} is not
     * null, presents {@code key} with {@code chain}.
     */
    static SSLContext sslContext(X509Certificate ca, PrivateKey key, List<X509Certificate> chain) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(ca));
            KeyManager[] keyManagers = null;
            if (key != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("weft-test", key, KEY_STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, KEY_STORE_PASSWORD);
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not make a TLS context", e);
        }
    }
}
