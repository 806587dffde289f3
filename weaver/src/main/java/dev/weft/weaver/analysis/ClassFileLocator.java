package dev.weft.weaver.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the bytes of a class file by internal name, without loading the class.
 *
 * <p>The weaver reads the class hierarchy only through locators, so it never runs or
 * initializes user code. Implementations are not required to be thread-safe.
 */
@FunctionalInterface
public interface ClassFileLocator {
    /**
     * Returns the class file of {@code internalName} ({@code a/b/C}), or null if this
     * locator does not have it.
     *
     * @param internalName the JVM internal name
     * @return the bytes, or null
     */
    byte[] find(String internalName);

    /** A locator that finds the JDK's own classes through the platform's resources. */
    static ClassFileLocator system() {
        ClassLoader loader = ClassLoader.getPlatformClassLoader();
        return name -> {
            try (InputStream in = loader.getResourceAsStream(name + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * A locator over class-path entries: directories and jar files, searched in order.
     * Entries that do not exist are ignored, as the JVM ignores them.
     *
     * @param entries directories and jars
     * @return the locator; its jars stay open for the life of the process
     */
    static ClassFileLocator ofPath(List<Path> entries) {
        List<ClassFileLocator> parts = new ArrayList<>();
        for (Path p : entries) {
            if (Files.isDirectory(p)) {
                parts.add(name -> {
                    Path f = p.resolve(name + ".class");
                    try {
                        return Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } else if (Files.isRegularFile(p)) {
                try {
                    ZipFile zip = new ZipFile(p.toFile());
                    parts.add(name -> {
                        ZipEntry e = zip.getEntry(name + ".class");
                        if (e == null) {
                            return null;
                        }
                        try (InputStream in = zip.getInputStream(e)) {
                            return in.readAllBytes();
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open class-path entry " + p, e);
                }
            }
        }
        return first(parts);
    }

    /**
     * A locator that asks each of {@code parts} in turn.
     *
     * @param parts the locators, in order
     * @return the composite
     */
    static ClassFileLocator first(List<ClassFileLocator> parts) {
        List<ClassFileLocator> copy = List.copyOf(parts);
        return name -> {
            for (ClassFileLocator l : copy) {
                byte[] b = l.find(name);
                if (b != null) {
                    return b;
                }
            }
            return null;
        };
    }
}
