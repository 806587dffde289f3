package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestCertificateAuthorityTest {
    private static final TestCertificateAuthority CA = TestCertificateAuthority.create();
    private static final IssuedCertificate LOCALHOST = CA.issueCertificate("localhost", "127.0.0.1", "::1");

    // ---------------------------------------------------------------- TLS handshakes

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshake_clientTrustsAuthority_carriesBytesBothWays(String protocol) throws SSLException {
        Peer client = new Peer(client(CA.clientContext(), "localhost", protocol));
        Peer server = new Peer(server(LOCALHOST.serverContext(), protocol));

        pump(client, server);

        assertEquals(protocol, client.engine.getSession().getProtocol());
        assertEquals(protocol, server.engine.getSession().getProtocol());
        assertEquals(LOCALHOST.certificate(), client.engine.getSession().getPeerCertificates()[0]);
        assertEquals(CA.certificate(), client.engine.getSession().getPeerCertificates()[1]);

        client.send("GET / HTTP/1.0\r\n\r\n");
        server.send("HTTP/1.0 204 No Content\r\n\r\n");
        pump(client, server);

        assertEquals("GET / HTTP/1.0\r\n\r\n", server.received());
        assertEquals("HTTP/1.0 204 No Content\r\n\r\n", client.received());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshake_hostNameNotInCertificate_fails(String protocol) {
        Peer client = new Peer(client(CA.clientContext(), "example.org", protocol));
        Peer server = new Peer(server(LOCALHOST.serverContext(), protocol));

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> pump(client, server));

        assertTrue(causes(e).contains("example.org"), causes(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void handshake_peerIsIpIdentity_succeeds(String address) throws SSLException {
        Peer client = new Peer(client(CA.clientContext(), address, "TLSv1.3"));
        Peer server = new Peer(server(LOCALHOST.serverContext(), "TLSv1.3"));

        pump(client, server);

        assertEquals(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, client.engine.getHandshakeStatus());
        assertEquals(LOCALHOST.certificate(), client.engine.getSession().getPeerCertificates()[0]);
    }

    @Test
    void handshake_ipNotInCertificate_fails() {
        IssuedCertificate onlyLocalhost = CA.issueCertificate("localhost");
        Peer client = new Peer(client(CA.clientContext(), "127.0.0.1", "TLSv1.3"));
        Peer server = new Peer(server(onlyLocalhost.serverContext(), "TLSv1.3"));

        assertThrows(SSLHandshakeException.class, () -> pump(client, server));
    }

    @Test
    void handshake_wildcardIdentity_matchesOneLabel() throws SSLException {
        IssuedCertificate wildcard = CA.issueCertificate("*.example.org");

        Peer client = new Peer(client(CA.clientContext(), "www.example.org", "TLSv1.3"));
        pump(client, new Peer(server(wildcard.serverContext(), "TLSv1.3")));
        assertEquals(wildcard.certificate(), client.engine.getSession().getPeerCertificates()[0]);

        Peer tooDeep = new Peer(client(CA.clientContext(), "a.b.example.org", "TLSv1.3"));
        Peer server = new Peer(server(wildcard.serverContext(), "TLSv1.3"));
        assertThrows(SSLHandshakeException.class, () -> pump(tooDeep, server));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshake_clientTrustsOtherAuthority_fails(String protocol) {
        TestCertificateAuthority other = TestCertificateAuthority.create();
        Peer client = new Peer(client(other.clientContext(), "localhost", protocol));
        Peer server = new Peer(server(LOCALHOST.serverContext(), protocol));

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> pump(client, server));

        assertTrue(causes(e).contains("PKIX path"), causes(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshake_serverNeedsClientCertificate_acceptsIssuedOne(String protocol) throws SSLException {
        IssuedCertificate alice = CA.issueCertificate("alice.example.org");
        Peer client = new Peer(client(alice.clientContext(), "localhost", protocol));
        SSLEngine serverEngine = server(LOCALHOST.serverContext(), protocol);
        serverEngine.setNeedClientAuth(true);
        Peer server = new Peer(serverEngine);

        pump(client, server);
        client.send("hello");
        pump(client, server);

        assertEquals(alice.certificate(), server.engine.getSession().getPeerCertificates()[0]);
        assertEquals("hello", server.received());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshake_serverNeedsClientCertificate_rejectsClientWithout(String protocol) {
        Peer client = new Peer(client(CA.clientContext(), "localhost", protocol));
        SSLEngine serverEngine = server(LOCALHOST.serverContext(), protocol);
        serverEngine.setNeedClientAuth(true);
        Peer server = new Peer(serverEngine);

        assertThrows(SSLHandshakeException.class, () -> pump(client, server));
    }

    @Test
    void handshake_clientCertificateFromOtherAuthority_rejected() throws Exception {
        IssuedCertificate mallory = TestCertificateAuthority.create().issueCertificate("mallory.example.org");
        // Mallory trusts the server's authority, and presents her certificate even though the
        // server asks for one from its own authority (the JDK's key manager would send none).
        X509ExtendedKeyManager presentAnyway = new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
                return "mallory";
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return mallory.chain().toArray(X509Certificate[]::new);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return mallory.privateKey();
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"mallory"};
            }

            @Override
            public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
                return "mallory";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        };
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(CA.trustStore());
        SSLContext malloryContext = SSLContext.getInstance("TLS");
        malloryContext.init(new KeyManager[] {presentAnyway}, trustManagers.getTrustManagers(), null);
        Peer client = new Peer(client(malloryContext, "localhost", "TLSv1.3"));
        SSLEngine serverEngine = server(LOCALHOST.serverContext(), "TLSv1.3");
        serverEngine.setNeedClientAuth(true);
        Peer server = new Peer(serverEngine);

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> pump(client, server));

        assertTrue(causes(e).contains("PKIX path"), causes(e));
    }

    // ---------------------------------------------------------------- certificate contents

    @Test
    void create_authorityCertificate_isSelfSignedCa() throws Exception {
        X509Certificate ca = CA.certificate();

        ca.verify(ca.getPublicKey());
        assertEquals(3, ca.getVersion());
        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints());
        assertArrayEquals(keyUsage(5, 6), Arrays.copyOf(ca.getKeyUsage(), 9));
        assertTrue(ca.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.19", "2.5.29.15")));
        assertEquals("SHA256withECDSA", ca.getSigAlgName());
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
        assertTrue(ca.getSerialNumber().signum() > 0);
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        assertTrue(ca.getSubjectX500Principal().getName().startsWith("CN=Weft test CA "),
                ca.getSubjectX500Principal().getName());
        Instant now = Instant.now();
        assertTrue(ca.getNotBefore().toInstant().isBefore(now.minus(Duration.ofHours(23))));
        assertTrue(ca.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(3640))));
        ca.checkValidity();
    }

    @Test
    void issueCertificate_leaf_hasNamesUsagesAndChain() throws Exception {
        X509Certificate leaf = LOCALHOST.certificate();

        leaf.verify(CA.certificate().getPublicKey());
        assertEquals(List.of(leaf, CA.certificate()), LOCALHOST.chain());
        assertEquals(CA.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals("CN=localhost,O=Weft testing", leaf.getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                new ArrayList<>(leaf.getSubjectAlternativeNames()));
        assertEquals(-1, leaf.getBasicConstraints());
        assertArrayEquals(keyUsage(0), Arrays.copyOf(leaf.getKeyUsage(), 9));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.19", "2.5.29.15")));
        assertTrue(leaf.getSerialNumber().signum() > 0);
        assertNotEquals(CA.certificate().getSerialNumber(), leaf.getSerialNumber());
        assertFalse(leaf.getNotAfter().after(CA.certificate().getNotAfter()));
        assertEquals("EC", LOCALHOST.privateKey().getAlgorithm());
    }

    @Test
    void issueCertificate_keyIdentifiers_linkLeafToAuthority() {
        byte[] caSubjectKeyId = CA.certificate().getExtensionValue("2.5.29.14");
        byte[] leafAuthorityKeyId = LOCALHOST.certificate().getExtensionValue("2.5.29.35");

        // getExtensionValue wraps each in an OCTET STRING: 04 len (04 20 <id>) and 04 len (30 len 80 20 <id>).
        byte[] id = Arrays.copyOfRange(caSubjectKeyId, 4, caSubjectKeyId.length);
        assertEquals(20, id.length);
        assertArrayEquals(id, Arrays.copyOfRange(leafAuthorityKeyId, 6, leafAuthorityKeyId.length));
    }

    @Test
    void pem_roundTripsThroughJdkParsers() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> chain = new ArrayList<>(factory.generateCertificates(
                new ByteArrayInputStream(LOCALHOST.certificateChainPem().getBytes(StandardCharsets.US_ASCII))));
        Certificate ca = factory.generateCertificate(
                new ByteArrayInputStream(CA.certificatePem().getBytes(StandardCharsets.US_ASCII)));

        assertEquals(LOCALHOST.chain(), chain);
        assertEquals(CA.certificate(), ca);
        String keyPem = LOCALHOST.privateKeyPem();
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"), keyPem);
        assertTrue(keyPem.endsWith("\n-----END PRIVATE KEY-----\n"), keyPem);
        String base64 = keyPem.replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        assertEquals(LOCALHOST.privateKey(), key);
        assertTrue(keyPem.lines().allMatch(line -> line.length() <= 64), keyPem);
    }

    @Test
    void trustStore_holdsAuthorityAsTrustedEntry() throws Exception {
        KeyStore store = CA.trustStore();

        assertEquals(1, store.size());
        String alias = store.aliases().nextElement();
        assertTrue(store.isCertificateEntry(alias));
        assertEquals(CA.certificate(), store.getCertificate(alias));
    }

    // ---------------------------------------------------------------- OpenSSL

    @Test
    void openssl_verifiesChainAndReadsNamesAndKey(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("openssl"), "openssl is not on PATH");
        Path caFile = dir.resolve("ca.pem");
        Path chainFile = dir.resolve("chain.pem");
        Path keyFile = dir.resolve("key.pem");
        Path leafFile = dir.resolve("leaf.pem");
        Files.writeString(caFile, CA.certificatePem());
        LOCALHOST.writePemFiles(chainFile, keyFile);
        Files.writeString(leafFile, TestCertificateAuthority.pem(LOCALHOST.certificate()));

        String verified = run("openssl", "verify", "-CAfile", caFile.toString(), leafFile.toString());
        assertTrue(verified.contains("OK"), verified);
        String verifiedChain = run("openssl", "verify", "-CAfile", caFile.toString(), chainFile.toString());
        assertTrue(verifiedChain.contains("OK"), verifiedChain);
        String text = run("openssl", "x509", "-noout", "-text", "-in", leafFile.toString());
        assertTrue(text.contains("DNS:localhost"), text);
        assertTrue(text.contains("IP Address:127.0.0.1"), text);
        assertTrue(text.contains("IP Address:0:0:0:0:0:0:0:1"), text);
        assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
        run("openssl", "pkey", "-in", keyFile.toString(), "-noout");
        String caText = run("openssl", "x509", "-noout", "-text", "-in", caFile.toString());
        assertTrue(caText.contains("CA:TRUE"), caText);
        assertTrue(caText.contains("Certificate Sign, CRL Sign"), caText);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void issueCertificate_noIdentities_throwsNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CA.issueCertificate());

        assertTrue(e.getMessage().contains("at least one identity"), e.getMessage());
    }

    @Test
    void issueCertificate_emptyIdentity_throwsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CA.issueCertificate("localhost", ""));

        assertTrue(e.getMessage().startsWith("identities[1] is empty"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local host", "exa_mple.org", "example..org", "example.org.", "*", "www.*.example.org",
            "-example.org", "256.0.0.1", "1.2.3", "01.2.3.4", "::g", "fe80::1%eth0", "[::1]", "bücher.example"})
    void issueCertificate_badIdentity_throwsNamingIt(String identity) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CA.issueCertificate("localhost", identity));

        assertTrue(e.getMessage().startsWith("identities[1] \"" + identity + "\" is neither"), e.getMessage());
    }

    @Test
    void issueCertificate_nullIdentity_throwsNamingIt() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> CA.issueCertificate("localhost", null));

        assertEquals("identities[1] is null", e.getMessage());
    }

    @Test
    void writePemFiles_samePath_throws(@TempDir Path dir) {
        Path file = dir.resolve("both.pem");

        assertThrows(IllegalArgumentException.class, () -> LOCALHOST.writePemFiles(file, file));
    }

    // ---------------------------------------------------------------- helpers

    /** One end of an in-memory TLS connection: its engine and its buffers. */
    private static final class Peer {
        final SSLEngine engine;
        /** Application bytes to send, in read mode. */
        ByteBuffer appOut = ByteBuffer.allocate(0);
        /** Application bytes received, in write mode. */
        final ByteBuffer appIn;
        /** TLS records this end produced and its peer has not yet taken, in write mode. */
        final ByteBuffer netOut;

        Peer(SSLEngine engine) {
            this.engine = engine;
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 4);
            this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4);
        }

        void send(String text) {
            appOut = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        }

        String received() {
            appIn.flip();
            String text = StandardCharsets.UTF_8.decode(appIn).toString();
            appIn.clear();
            return text;
        }
    }

    /**
     * Moves records between the two engines, on this thread, until neither can do anything
     * more: it finishes a handshake and delivers queued application bytes.
     */
    private static void pump(Peer a, Peer b) throws SSLException {
        for (int round = 0; round < 100; round++) {
            boolean progress = wrap(a) | wrap(b) | unwrap(a, b.netOut) | unwrap(b, a.netOut);
            if (!progress) {
                return;
            }
        }
        throw new AssertionError("the engines were still busy after 100 rounds");
    }

    private static boolean wrap(Peer peer) throws SSLException {
        SSLEngineResult result = peer.engine.wrap(peer.appOut, peer.netOut);
        assertEquals(SSLEngineResult.Status.OK, result.getStatus(), "wrap");
        return runTasks(peer.engine) | result.bytesProduced() > 0 | result.bytesConsumed() > 0;
    }

    private static boolean unwrap(Peer peer, ByteBuffer from) throws SSLException {
        boolean progress = false;
        from.flip();
        try {
            while (from.hasRemaining()) {
                SSLEngineResult result = peer.engine.unwrap(from, peer.appIn);
                progress |= runTasks(peer.engine);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                        || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                    break;
                }
                assertEquals(SSLEngineResult.Status.OK, result.getStatus(), "unwrap");
                progress = true;
            }
        } finally {
            from.compact();
        }
        return progress;
    }

    private static boolean runTasks(SSLEngine engine) {
        boolean ran = false;
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
            ran = true;
        }
        return ran;
    }

    private static SSLEngine client(SSLContext context, String peerHost, String protocol) {
        SSLEngine engine = context.createSSLEngine(peerHost, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {protocol});
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static SSLEngine server(SSLContext context, String protocol) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(new String[] {protocol});
        return engine;
    }

    /** The messages of {@code e} and its causes, one a line. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    /** The {@code boolean[]} a {@code KeyUsage} with these bits set reads as, nine bits long. */
    private static boolean[] keyUsage(int... bits) {
        boolean[] usage = new boolean[9];
        for (int bit : bits) {
            usage[bit] = true;
        }
        return usage;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    /** Runs a command, expects exit status 0 within 30 seconds, and returns its output and errors. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not exit");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
