package dev.weft.maven;

import dev.weft.weaver.AtomicFiles;
import dev.weft.weaver.WeaveResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the last weave of a directory left behind, kept in a small text file under
 * {@code target/} so that the next build can skip the classes it has already seen.
 *
 * <p>The file holds the fingerprint of everything else the result depends on (the class path,
 * the weaving format, the filter), and for each class file that was woven or found to have
 * nothing to weave, its size and modification time after the weave. Refused classes are never
 * recorded, so they are woven, and reported, again on every build until they are fixed.
 *
 * <pre>
 * # weft-maven-plugin: what the last weave saw; delete this file to weave every class again
 * version 1
 * fingerprint 3f1c...e2
 * W 1532 1732360000123456789 com/acme/Fetcher.class
 * U 611 1732359990000000000 com/acme/Config.class
 * </pre>
 *
 * @param fingerprint the {@link ClassPathFingerprint} of the run
 * @param classes each recorded class file by relative path
 */
record WeaveState(String fingerprint, Map<String, Known> classes) {
    private static final String HEADER = "# weft-maven-plugin: what the last weave saw; delete this file to weave "
            + "every class again";
    private static final String VERSION = "version 1";

    /**
     * One class file as the last weave left it.
     *
     * @param stat its size and modification time, as {@link ClassPathFingerprint#stat(Path)}
     * @param status {@link WeaveResult.Status#ALREADY_WOVEN} (woven then or before) or
     *     {@link WeaveResult.Status#UNCHANGED}
     */
    record Known(String stat, WeaveResult.Status status) {
    }

    WeaveState {
        classes = Map.copyOf(classes);
    }

    /**
     * Reads a state file. A missing file, one written by another version, or one that does not
     * parse all mean "nothing known", so the next weave reads every class.
     *
     * @param file the state file
     * @return the state, or empty
     * @throws IOException if the file exists but cannot be read
     */
    static Optional<WeaveState> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.size() < 3 || !lines.get(1).equals(VERSION) || !lines.get(2).startsWith("fingerprint ")) {
            return Optional.empty();
        }
        String fingerprint = lines.get(2).substring("fingerprint ".length());
        Map<String, Known> classes = new LinkedHashMap<>();
        for (String line : lines.subList(3, lines.size())) {
            String[] f = line.split(" ", 4);
            if (f.length != 4 || !(f[0].equals("W") || f[0].equals("U"))) {
                return Optional.empty();
            }
            classes.put(f[3], new Known(f[1] + " " + f[2],
                    f[0].equals("W") ? WeaveResult.Status.ALREADY_WOVEN : WeaveResult.Status.UNCHANGED));
        }
        return Optional.of(new WeaveState(fingerprint, classes));
    }

    /**
     * Writes the state, replacing the file atomically and creating its directory if needed.
     *
     * @param file the state file
     * @throws IOException if it cannot be written
     */
    void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n').append(VERSION).append('\n')
                .append("fingerprint ").append(fingerprint).append('\n');
        for (Map.Entry<String, Known> e : new TreeMap<>(classes).entrySet()) {
            b.append(e.getValue().status() == WeaveResult.Status.UNCHANGED ? 'U' : 'W').append(' ')
                    .append(e.getValue().stat()).append(' ').append(e.getKey()).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
