package dev.weft.weaver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.Javac;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code weft} command line run in process on classes compiled by the test: what each
 * subcommand prints, writes and exits with.
 */
class WeftCliTest {
    /** An @Async method with two suspension points, on lines 10 and 12, and a plain one. */
    static final String FETCHER = """
            package demo;

            import dev.weft.annotation.Async;
            import dev.weft.weaver.testing.Probe;

            public class Fetcher {
                @Async
                public int fetch(int count) {
                    String label = "n" + count;
                    Probe.point();
                    count++;
                    Probe.point();
                    return count + label.length();
                }

                public int plain() {
                    return 1;
                }

                public static class Inner {
                    @Async
                    public void step() {
                        Probe.point();
                    }
                }
            }
            """;

    /** A class with nothing async. */
    static final String PLAIN = """
            package demo;

            public class Plain {
                public int one() {
                    return 1;
                }
            }
            """;

    /** Two methods that call @Async Probe.point() without being @Async: lines 7 and 11. */
    static final String CALLER = """
            package demo;

            import dev.weft.weaver.testing.Probe;

            public class Caller {
                public void run() {
                    Probe.point();
                }

                public void again() {
                    Probe.point();
                }
            }
            """;

    /** One more non-async caller, in another class: line 6. */
    static final String LONE = """
            package demo.more;

            public class Lone {
                public void go() {
                    int x = 1;
                    dev.weft.weaver.testing.Probe.point();
                }
            }
            """;

    /** The test class path, where the weaver finds {@code Probe} and {@code @Async}. */
    /** The test class path without entries that do not exist (this module has no main classes). */
    static final String CP = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(entry -> java.nio.file.Files.exists(java.nio.file.Path.of(entry)))
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));

    @TempDir
    Path work;

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Run weft(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WeftCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path compile(String... namesAndSources) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSources.length; i += 2) {
            sources.put(namesAndSources[i], namesAndSources[i + 1]);
        }
        return Javac.compileSources(sources, work);
    }

    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertTreesEqual(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k), actual.get(k), k);
        }
    }

    // ---------------------------------------------------------------- weave

    @Test
    void weave_inPlaceTwice_secondRunReportsAlreadyWovenAndKeepsBytes() throws IOException {
        Path classes = compile("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN);
        Map<String, byte[]> plain = tree(classes);

        Run first = weft("weave", classes.toString(), "-cp", CP);
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().contains("woven 2 classes (2 methods, 3 suspension points), 0 already woven, 1 unchanged"),
                first::toString);
        Map<String, byte[]> woven = tree(classes);
        assertEquals(plain.keySet(), woven.keySet(), "no file added or removed, no temporary left");
        assertFalse(Arrays.equals(plain.get("demo/Fetcher.class"), woven.get("demo/Fetcher.class")));
        assertArrayEquals(plain.get("demo/Plain.class"), woven.get("demo/Plain.class"));

        Run second = weft("weave", classes.toString(), "-cp", CP);
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.out().contains("woven 0 classes (0 methods, 0 suspension points), 2 already woven, 1 unchanged"),
                second::toString);
        assertTreesEqual(woven, tree(classes));
    }

    @Test
    void weave_verbose_printsALinePerClass() {
        Path classes = compile("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN);

        Run r = weft("weave", classes.toString(), "-cp", CP, "--verbose");

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("WOVEN demo.Fetcher (1 method, 2 suspension points)"), r::toString);
        assertTrue(r.out().contains("WOVEN demo.Fetcher$Inner (1 method, 1 suspension point)"), r::toString);
        assertTrue(r.out().contains("UNCHANGED demo.Plain"), r::toString);
    }

    @Test
    void weave_outDirectory_writesWholeTreeAndLeavesInput() throws IOException {
        Path classes = compile("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN);
        Files.writeString(classes.resolve("demo/messages.properties"), "greeting=hi\n");
        Map<String, byte[]> before = tree(classes);
        Path out = work.resolve("woven");

        Run r = weft("weave", classes.toString(), "-cp", CP, "--out", out.toString());

        assertEquals(0, r.exit(), r::toString);
        assertTreesEqual(before, tree(classes));
        Map<String, byte[]> written = tree(out);
        assertEquals(before.keySet(), written.keySet());
        assertArrayEquals(before.get("demo/messages.properties"), written.get("demo/messages.properties"));
        assertArrayEquals(before.get("demo/Plain.class"), written.get("demo/Plain.class"));
        assertFalse(Arrays.equals(before.get("demo/Fetcher.class"), written.get("demo/Fetcher.class")));

        Run again = weft("check", out.toString(), "-cp", CP);
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("2 already woven, 1 unchanged"), again::toString);
    }

    @Test
    void weave_jar_writesJarOfSameNameWithOtherEntriesUnchanged() throws IOException {
        Path classes = compile("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN);
        Path jar = work.resolve("lib/app.jar");
        byte[] data = "stored, not deflated".getBytes(StandardCharsets.UTF_8);
        writeJar(jar, classes, data);
        Path out = work.resolve("out");

        Run r = weft("weave", jar.toString(), "-cp", CP, "-o", out.toString());

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("woven 2 classes (2 methods, 3 suspension points), 0 already woven, 1 unchanged"),
                r::toString);
        Path woven = out.resolve("app.jar");
        try (ZipFile in = new ZipFile(jar.toFile()); ZipFile w = new ZipFile(woven.toFile())) {
            assertEquals(names(in), names(w), "same entries, same order");
            assertArrayEquals(bytes(in, "data.bin"), bytes(w, "data.bin"));
            assertEquals(ZipEntry.STORED, w.getEntry("data.bin").getMethod());
            assertArrayEquals(bytes(in, "META-INF/MANIFEST.MF"), bytes(w, "META-INF/MANIFEST.MF"));
            assertArrayEquals(bytes(in, "demo/Plain.class"), bytes(w, "demo/Plain.class"));
            assertFalse(Arrays.equals(bytes(in, "demo/Fetcher.class"), bytes(w, "demo/Fetcher.class")));
        }

        Run again = weft("check", woven.toString(), "-cp", CP);
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("would weave 0 classes (0 methods, 0 suspension points), 2 already woven, "
                + "1 unchanged"), again::toString);
    }

    @Test
    void weave_jarWithoutOut_isUsageErrorAndWritesNothing() throws IOException {
        Path classes = compile("demo/Fetcher.java", FETCHER);
        Path jar = work.resolve("app.jar");
        writeJar(jar, classes, new byte[0]);
        byte[] before = Files.readAllBytes(jar);

        Run r = weft("weave", jar.toString(), "-cp", CP);

        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("Jar input '" + jar + "' needs --out DIR"), r::toString);
        assertArrayEquals(before, Files.readAllBytes(jar));
    }

    @Test
    void weave_oneClassRefused_writesTheOthersAndExitsOne() throws IOException {
        Path classes = compile("demo/Fetcher.java", FETCHER, "demo/Caller.java", CALLER);
        Map<String, byte[]> before = tree(classes);

        Run r = weft("weave", classes.toString(), "-cp", CP);

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("Caller.java:7: Caller.run() calls @Async Probe.point() but is not @Async."),
                r::toString);
        assertTrue(r.out().contains("1 refused (2 problems, not written)"), r::toString);
        Map<String, byte[]> after = tree(classes);
        assertArrayEquals(before.get("demo/Caller.class"), after.get("demo/Caller.class"));
        assertFalse(Arrays.equals(before.get("demo/Fetcher.class"), after.get("demo/Fetcher.class")));
    }

    // ---------------------------------------------------------------- check

    @Test
    void check_nonAsyncCaller_exitsOneWithFileLineAndFix() throws IOException {
        Path classes = compile("demo/Caller.java", CALLER);
        Map<String, byte[]> before = tree(classes);

        Run r = weft("check", classes.toString(), "-cp", CP);

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("Caller.java:7: Caller.run() calls @Async Probe.point() but is not @Async. "
                + "Fix: annotate run() with @Async, or start it with Weft.run(...)."), r::toString);
        assertTreesEqual(before, tree(classes));
    }

    @Test
    void check_twoNonAsyncCallersInOneClass_listsBoth() {
        Path classes = compile("demo/Caller.java", CALLER);

        Run r = weft("check", classes.toString(), "-cp", CP);

        assertEquals(1, r.exit(), r::toString);
        assertEquals(List.of("Caller.java:7: Caller.run()", "Caller.java:11: Caller.again()"), problemHeads(r));
        assertTrue(r.out().contains("1 refused (2 problems)"), r::toString);
    }

    @Test
    void check_problemsInTwoClasses_listsEveryClassNotOnlyTheFirst() {
        Path classes = compile("demo/Caller.java", CALLER, "demo/more/Lone.java", LONE, "demo/Fetcher.java", FETCHER);

        Run r = weft("check", classes.toString(), "-cp", CP);

        assertEquals(1, r.exit(), r::toString);
        assertEquals(List.of("Caller.java:7: Caller.run()", "Caller.java:11: Caller.again()", "Lone.java:6: Lone.go()"),
                problemHeads(r));
        assertTrue(r.out().contains("would weave 2 classes (2 methods, 3 suspension points), 0 already woven, "
                + "0 unchanged, 2 refused (3 problems)"), r::toString);
    }

    @Test
    void check_noProblems_exitsZero() {
        Path classes = compile("demo/Fetcher.java", FETCHER);

        Run r = weft("check", classes.toString(), "-cp", CP);

        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err());
    }

    // ---------------------------------------------------------------- explain

    @Test
    void explain_asyncMethod_printsStatesLinesCalleesAndSavedLocals() {
        Path classes = compile("demo/Fetcher.java", FETCHER);

        Run r = weft("explain", "demo.Fetcher#fetch", "-cp", classes + java.io.File.pathSeparator + CP);

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Fetcher.fetch(int) is @Async, with 2 suspension points:"), r::toString);
        assertTrue(r.out().contains("state 0 at Fetcher.java:10, calls Probe.point()"), r::toString);
        assertTrue(r.out().contains("state 1 at Fetcher.java:12, calls Probe.point()"), r::toString);
        assertTrue(r.out().contains("(this is never saved: resuming calls the method on the same object)"),
                r::toString);
        assertTrue(r.out().contains("saves locals: 1 count: int, 2 label: String\n"), r::toString);
        assertFalse(r.out().contains("plain"), r::toString);
    }

    @Test
    void explain_nonAsyncMethod_saysItHasNoSuspensionPoints() {
        Path classes = compile("demo/Fetcher.java", FETCHER);

        Run r = weft("explain", "demo/Fetcher#plain", "-cp", classes + java.io.File.pathSeparator + CP);

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Fetcher.plain() is not @Async"), r::toString);
        assertTrue(r.out().contains("no suspension points"), r::toString);
    }

    @Test
    void explain_nestedClassNamedWithDots_findsItAndExplainsEveryMethod() {
        Path classes = compile("demo/Fetcher.java", FETCHER);

        Run r = weft("explain", "demo.Fetcher.Inner", "-cp", classes + java.io.File.pathSeparator + CP);

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("demo.Fetcher$Inner (Fetcher.java): 1 woven method, 1 suspension point"),
                r::toString);
        assertTrue(r.out().contains("state 0 at Fetcher.java:23, calls Probe.point()"), r::toString);
    }

    @Test
    void explain_unknownMethod_exitsOneListingTheMethods() {
        Path classes = compile("demo/Fetcher.java", FETCHER);

        Run r = weft("explain", "demo.Fetcher#fetchAll", "-cp", classes + java.io.File.pathSeparator + CP);

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("demo.Fetcher has no method fetchAll. Its methods: fetch, plain."), r::toString);
    }

    @Test
    void explain_missingClass_exitsOne() {
        Path classes = compile("demo/Fetcher.java", FETCHER);

        Run r = weft("explain", "demo.Missing", "-cp", classes.toString());

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("class demo.Missing not found on the class path"), r::toString);
    }

    @Test
    void explain_refusedClass_exitsOneWithItsProblems() {
        Path classes = compile("demo/Caller.java", CALLER);

        Run r = weft("explain", "demo.Caller", "-cp", classes + java.io.File.pathSeparator + CP);

        assertEquals(1, r.exit(), r::toString);
        assertEquals(List.of("Caller.java:7: Caller.run()", "Caller.java:11: Caller.again()"), problemHeads(r));
    }

    // ---------------------------------------------------------------- usage

    @Test
    void weave_noInput_isUsageError() {
        Run r = weft("weave");

        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("Missing required parameter: 'INPUT'"), r::toString);
    }

    @Test
    void weave_missingInput_isUsageError() {
        Run r = weft("weave", work.resolve("nowhere").toString());

        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("no such file or directory"), r::toString);
    }

    @Test
    void execute_unknownSubcommand_suggestsTheNearestAndExitsTwo() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new WeftCli());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));

        int exit = cl.execute("waeve", "build/classes");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("Did you mean: weft weave?"), err::toString);
    }

    @Test
    void execute_unknownOption_isUsageError() {
        Run r = weft("check", "--frobnicate", work.toString());

        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r::toString);
    }

    @Test
    void execute_version_printsVersionAndWeavingFormat() {
        Run r = weft("--version");

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("weft "), r::toString);
        assertTrue(r.out().contains("weaving format " + dev.weft.weaver.Weaver.FORMAT_VERSION), r::toString);
    }

    // ---------------------------------------------------------------- helpers

    /** @return each problem line of {@code r}'s error stream, up to the method it names */
    private static List<String> problemHeads(Run r) {
        List<String> heads = new ArrayList<>();
        for (String line : r.err().split("\\R")) {
            int calls = line.indexOf(" calls @Async");
            if (calls > 0) {
                heads.add(line.substring(0, calls));
            }
        }
        return heads;
    }

    /** Writes a jar of every file under {@code classes}, a manifest first and a stored entry {@code data.bin}. */
    private static void writeJar(Path jar, Path classes, byte[] data) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, m)) {
            for (Map.Entry<String, byte[]> e : tree(classes).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
            ZipEntry stored = new ZipEntry("data.bin");
            CRC32 crc = new CRC32();
            crc.update(data);
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(data.length);
            stored.setCompressedSize(data.length);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(data);
            out.closeEntry();
        }
    }

    private static List<String> names(ZipFile z) {
        return z.stream().map(ZipEntry::getName).toList();
    }

    private static byte[] bytes(ZipFile z, String name) throws IOException {
        try (InputStream in = z.getInputStream(z.getEntry(name))) {
            return in.readAllBytes();
        }
    }
}
