package dev.weft.bench;

import dev.weft.testing.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Hands a TLS server's certificate and key to a child JVM as a PKCS#12 file: the benchmark
 * writes it ({@link #write}), the child reads it back as a server context
 * ({@link #serverContext}). The key is a throwaway from a {@code TestCertificateAuthority},
 * so the file's password is a constant.
 */
final class TlsKeyStore {
    private static final char[] PASSWORD = "weft-bench".toCharArray();
    private static final String ALIAS = "server";

    private TlsKeyStore() {
    }

    /**
     * Writes {@code certificate}'s key and chain to {@code file} as PKCS#12.
     *
     * @param certificate the server's certificate, its key and its chain
     * @param file where to write
     * @throws IOException if writing fails
     */
    static void write(IssuedCertificate certificate, Path file) throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(ALIAS, certificate.privateKey(), PASSWORD,
                    certificate.chain().toArray(new X509Certificate[0]));
            try (OutputStream out = Files.newOutputStream(file)) {
                keys.store(out, PASSWORD);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the server's key store " + file + ": " + e, e);
        }
    }

    /**
     * Reads a file {@link #write} wrote and makes a {@code "TLS"} server context from it.
     *
     * @param file the PKCS#12 file
     * @return an initialized context that presents the file's certificate chain
     * @throws IOException if the file cannot be read
     */
    static SSLContext serverContext(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a TLS server context from " + file + ": " + e, e);
        }
    }
}
