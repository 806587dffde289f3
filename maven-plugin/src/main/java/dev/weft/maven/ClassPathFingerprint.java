package dev.weft.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A digest of what a class path looks like on disk, computed from file metadata only: for a
 * jar its path, size and modification time; for a directory the same for every file under it.
 * No file is opened, so computing it costs one {@code stat} per file.
 *
 * <p>If a class file on the class path changes, the async-ness of a call made by a class being
 * woven may change with it; a build tool compares this digest with the one of its last run to
 * know whether it may skip classes it has seen.
 *
 * @implNote A file rewritten with the same size within the file system's timestamp resolution
 *     (nanoseconds on most Linux file systems, a second on some older ones) is not noticed.
 */
final class ClassPathFingerprint {
    private ClassPathFingerprint() {
    }

    /**
     * Computes the digest of {@code entries}, in order, together with {@code salt} (the
     * settings that also decide the result, such as the weaving format).
     *
     * @param entries jars and directories; missing ones are recorded as missing
     * @param salt extra text the digest depends on
     * @return a hex SHA-256
     * @throws IOException if a directory cannot be walked
     */
    static String of(List<Path> entries, String salt) throws IOException {
        MessageDigest md = sha256();
        update(md, salt);
        for (Path e : entries) {
            update(md, "entry " + e.toAbsolutePath().normalize());
            if (Files.isDirectory(e)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(e)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                } catch (UncheckedIOException ex) {
                    throw ex.getCause();
                }
                for (Path f : files) {
                    update(md, e.relativize(f).toString().replace(File.separatorChar, '/') + " " + stat(f));
                }
            } else if (Files.isRegularFile(e)) {
                update(md, stat(e));
            } else {
                update(md, "missing");
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Returns a file's size and modification time, the metadata build tools compare.
     *
     * @param f a regular file
     * @return {@code <size> <mtime in ns>}
     * @throws IOException if it cannot be read
     */
    static String stat(Path f) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return a.size() + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every Java SE platform must provide", e);
        }
    }
}
