package dev.weft.weaver;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces files so that a reader (a running build, an IDE, a class loader) sees either the old
 * content or the new, never a half-written file: the new content goes to a temporary file
 * beside the target, which is then moved over it, atomically where the file system allows.
 *
 * {@snippet :
 * AtomicFiles.write(classes.resolve("a/b/C.class"), result.bytes());
 * }
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Replaces (or creates) {@code target} with {@code bytes}. The parent directory must exist.
     *
     * @param target the file
     * @param bytes its new content
     * @throws IOException naming {@code target}, if it cannot be written
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = temporaryBeside(target);
        try {
            Files.write(tmp, bytes);
            move(tmp, target);
        } catch (IOException e) {
            throw new IOException("cannot write " + target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Returns a name beside {@code target} to write before moving into place. Not
     * {@link Files#createTempFile}, whose owner-only permissions the moved file would keep.
     *
     * @param target the file to be replaced
     * @return {@code .<name>.weft-tmp} in the same directory
     */
    public static Path temporaryBeside(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".weft-tmp");
    }

    /**
     * Moves {@code from} over {@code to}, atomically if the file system can.
     *
     * @param from the new content, usually {@link #temporaryBeside(Path)}
     * @param to the file replaced
     * @throws IOException if the move fails
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
