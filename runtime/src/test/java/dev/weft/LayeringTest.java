package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages built on the scheduler's public surface ({@code dev.weft.sync},
 * {@code dev.weft.channel}, {@code dev.weft.stream}, {@code dev.weft.process},
 * {@code dev.weft.file}, {@code dev.weft.signal}, and {@code dev.weft.net} once it exists) use only
 * {@code dev.weft.lowlevel} and the public {@code dev.weft} API, never
 * {@code dev.weft.internal}: what they do, a user's library can do too (python-trio/trio
 * {@code docs/source/design.rst}, "the core and the rest").
 *
 * <p>Checked twice: in the sources (no import or qualified name of {@code dev.weft.internal}
 * outside comments), and in the woven class files, whose constant pools may name only what
 * the weaver itself inserts ({@code Continuation} and the {@code Woven} marker).
 */
class LayeringTest {

    /** The packages that must stay above the line. */
    private static final List<String> UPPER_PACKAGES = List.of("dev/weft/sync", "dev/weft/channel", "dev/weft/net",
            "dev/weft/stream", "dev/weft/process", "dev/weft/file", "dev/weft/signal");
    /** What woven code references in {@code dev.weft.internal}, whoever wrote the source. */
    private static final Set<String> WEAVER_PROTOCOL = Set.of("dev/weft/internal/Continuation",
            "dev/weft/internal/Woven");
    private static final Pattern INTERNAL_CLASS = Pattern.compile("dev/weft/internal/[\\w$]+");
    private static final Pattern INTERNAL_NAME = Pattern.compile("dev\\s*\\.\\s*weft\\s*\\.\\s*internal\\b");

    @Test
    void sources_upperPackages_nameNothingInInternal() throws IOException {
        Path root = Path.of(System.getProperty("basedir", "."), "src", "main", "java");
        TreeMap<String, List<Integer>> offenders = new TreeMap<>();
        int files = 0;
        for (Path file : javaFiles(root)) {
            files++;
            String code = withoutComments(Files.readString(file));
            Matcher m = INTERNAL_NAME.matcher(code);
            while (m.find()) {
                int line = 1 + (int) code.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                offenders.computeIfAbsent(root.relativize(file).toString(), k -> new ArrayList<>()).add(line);
            }
        }
        assertTrue(files >= 10, "found only " + files + " source files under " + root + "; is the test running in "
                + "the runtime module?");
        assertEquals(new TreeMap<>(), offenders, "files of dev.weft.sync/channel/net that name dev.weft.internal "
                + "(file -> lines): use dev.weft.lowlevel instead, adding to it what is missing");
    }

    @Test
    void classes_upperPackages_referenceOnlyTheWeaverProtocolInInternal() throws IOException, URISyntaxException {
        Path classes = Path.of(BrokenResourceException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeMap<String, Set<String>> offenders = new TreeMap<>();
        int files = 0;
        boolean woven = false;
        for (String pkg : UPPER_PACKAGES) {
            Path dir = classes.resolve(pkg);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    files++;
                    Set<String> internal = new TreeSet<>();
                    for (String utf8 : constantPoolStrings(Files.readAllBytes(file))) {
                        Matcher m = INTERNAL_CLASS.matcher(utf8);
                        while (m.find()) {
                            internal.add(m.group());
                        }
                    }
                    woven |= internal.contains("dev/weft/internal/Woven");
                    internal.removeAll(WEAVER_PROTOCOL);
                    if (!internal.isEmpty()) {
                        offenders.put(classes.relativize(file).toString(), internal);
                    }
                }
            }
        }
        assertTrue(files >= 10, "found only " + files + " class files of the upper packages under " + classes);
        assertTrue(woven, "no class of the upper packages is marked @Woven: the scan would miss what weaving adds");
        assertEquals(new TreeMap<>(), offenders, "classes that reference dev.weft.internal beyond what the weaver "
                + "inserts (class -> internal classes)");
    }

    @Test
    void constantPoolStrings_thisClass_findsItsOwnNameAndSuperclass() throws IOException {
        byte[] bytes;
        try (var in = LayeringTest.class.getResourceAsStream("LayeringTest.class")) {
            bytes = in.readAllBytes();
        }
        List<String> strings = constantPoolStrings(bytes);
        assertTrue(strings.contains("dev/weft/LayeringTest"), strings.toString());
        assertTrue(strings.contains("java/lang/Object"), strings.toString());
        assertFalse(strings.isEmpty());
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String pkg : UPPER_PACKAGES) {
            Path dir = root.resolve(pkg);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Blanks out comments, keeping line breaks so that line numbers stay right; strings are kept. */
    static String withoutComments(String src) {
        StringBuilder b = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < src.length() && src.charAt(end) != c) {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, src.length());
                b.append(src, i, end);
                i = end;
            } else if (src.startsWith("//", i)) {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 2;
                for (int j = i; j < end; j++) {
                    b.append(src.charAt(j) == '\n' ? '\n' : ' ');
                }
                i = end;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /**
     * Returns every CONSTANT_Utf8 of a class file (JVMS 4.4): class names, descriptors and
     * signatures all live there, so a reference to another class cannot hide from this list.
     */
    static List<String> constantPoolStrings(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file: bad magic");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> strings.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        return strings;
    }
}
