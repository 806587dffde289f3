package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import dev.weft.weaver.testing.SuiteRunner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Instrument-all mode on real libraries from Maven Central: Guava, Commons Lang,
 * Commons Collections and Commons Codec (the versions are the test dependencies in this
 * module's {@code pom.xml}, whose paths Maven passes in as {@code weft.it.*} properties).
 *
 * <p>Every method of every class is treated as async and every call in it as a suspension
 * point, so the libraries' bytecode drives every path of the transformation. Each class
 * must weave (or be left unchanged, with the methods the weaver cannot make resumable left
 * plain), and the woven jar must link exactly as the original does: every class is loaded
 * and linked, which makes HotSpot verify all of its methods, without initializing it.
 * Finally Commons Codec's own published test suite (its {@code tests} jar) runs in a child
 * JVM against the original jar and against the woven one, and must give the same results.
 * Outside a running continuation woven code never suspends, so the woven library must
 * behave exactly as the original.
 *
 * <p>Weaving is timed single-threaded per jar and printed as classes per second; the
 * first jar pays for the JIT's warm-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstrumentAllTest {
    /** The libraries, smallest first; the keys of their {@code weft.it.*} properties. */
    static final List<String> LIBRARIES = List.of("codec", "collections4", "lang3", "guava");

    /** Commons Codec's surefire configuration leaves these out of its suite. */
    static final List<String> CODEC_SUITE_EXCLUDES = List.of(".*AbstractTest", ".*PerformanceTest");

    /** A Codec class whose location shows which Codec jar the suite ran against. */
    static final String CODEC_PROBE = "org.apache.commons.codec.binary.Base64";

    @TempDir
    static Path work;

    /** A library jar and the jars it needs. */
    record Library(String name, Path jar, List<Path> dependencies) {
        @Override
        public String toString() {
            return name + " (" + jar.getFileName() + ")";
        }
    }

    /** What weaving one jar gave. */
    record WovenJar(Library library, Path woven, List<String> classNames, int wovenClasses, int unchangedClasses,
                    int wovenMethods, int plainMethods, int suspensionPoints, long nanos, List<String> errors) {
        double classesPerSecond() {
            return classNames.size() / (nanos / 1e9);
        }
    }

    private final Map<String, WovenJar> woven = new LinkedHashMap<>();

    @BeforeAll
    void weaveLibraries() throws IOException {
        for (String name : LIBRARIES) {
            Library lib = library(name);
            WovenJar w = weaveJar(lib, work.resolve(lib.jar().getFileName()));
            woven.put(name, w);
            System.out.printf("[weft] instrument-all %-34s %5d classes: %5d woven, %5d unchanged; %6d methods woven,"
                            + " %5d left plain, %6d suspension points; %6.2f s, %6.0f classes/s%n",
                    lib.jar().getFileName(), w.classNames().size(), w.wovenClasses(), w.unchangedClasses(),
                    w.wovenMethods(), w.plainMethods(), w.suspensionPoints(), w.nanos() / 1e9, w.classesPerSecond());
        }
    }

    @Test
    void weave_instrumentAllOnRealLibraries_wovenOrUnchangedEveryClass() {
        int total = 0;
        for (WovenJar w : woven.values()) {
            assertEquals(List.of(), w.errors(), w.library() + ": classes the weaver refused or failed on");
            assertEquals(w.classNames().size(), w.wovenClasses() + w.unchangedClasses(), w.library().toString());
            assertTrue(w.wovenClasses() > w.classNames().size() / 2, w.library() + ": most classes have code to weave");
            total += w.classNames().size();
        }
        assertTrue(total >= 3000, "thousands of classes in all, was " + total);
    }

    @Test
    void link_wovenLibraryClasses_verifyAsTheOriginalsDo() throws IOException {
        for (WovenJar w : woven.values()) {
            Map<String, String> original = link(w.library().jar(), w.library(), w.classNames());
            Map<String, String> afterWeave = link(w.woven(), w.library(), w.classNames());
            Map<String, String> differ = new TreeMap<>();
            for (String c : w.classNames()) {
                if (!original.get(c).equals(afterWeave.get(c))) {
                    differ.put(c, "original: " + original.get(c) + "\n  woven: " + afterWeave.get(c));
                }
            }
            if (!differ.isEmpty()) {
                fail(w.library() + ": " + differ.size() + " classes link differently once woven, e.g.\n"
                        + differ.entrySet().stream().limit(5).map(e -> e.getKey() + "\n  " + e.getValue())
                        .reduce((a, b) -> a + "\n" + b).orElse(""));
            }
            long failing = original.values().stream().filter(o -> !o.equals("linked")).count();
            assertEquals(0, failing, w.library() + ": classes that do not link even in the original jar: "
                    + original.entrySet().stream().filter(e -> !e.getValue().equals("linked")).limit(5).toList());
        }
    }

    @Test
    void publishedTestSuite_againstWovenCodec_givesTheOriginalResults() throws Exception {
        WovenJar codec = woven.get("codec");
        Path tests = property("weft.it.codec.tests");
        Map<String, String> original = runSuite("original", codec.library().jar(), tests);
        Map<String, String> afterWeave = runSuite("woven", codec.woven(), tests);
        System.out.println("[weft] commons-codec test suite, original: " + original);
        System.out.println("[weft] commons-codec test suite, woven:    " + afterWeave);
        assertTrue(Integer.parseInt(original.get("found")) > 1000, "the suite is found: " + original);
        assertEquals("0", original.get("failed"), "the original passes its own suite: " + original);
        assertEquals(original, afterWeave, "the woven jar gives the original's results");
    }

    // ---------------------------------------------------------------- weaving

    private static WovenJar weaveJar(Library lib, Path out) throws IOException {
        List<Path> classPath = new ArrayList<>();
        classPath.add(lib.jar());
        classPath.addAll(lib.dependencies());
        Weaver weaver = new Weaver(new ClassHierarchy(ClassFileLocator.ofPath(classPath)), WeaveOptions.INSTRUMENT_ALL);
        List<String> names = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int wovenClasses = 0;
        int unchanged = 0;
        int wovenMethods = 0;
        int plainMethods = 0;
        int points = 0;
        long nanos = 0;
        try (ZipFile zip = new ZipFile(lib.jar().toFile());
             ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                if (isClass(e.getName())) {
                    names.add(e.getName().substring(0, e.getName().length() - ".class".length()).replace('/', '.'));
                    long start = System.nanoTime();
                    try {
                        WeaveResult r = weaver.weave(bytes);
                        nanos += System.nanoTime() - start;
                        int candidates = weavableMethods(bytes);
                        if (r.status() == WeaveResult.Status.WOVEN) {
                            wovenClasses++;
                            bytes = r.bytes();
                        } else if (r.status() == WeaveResult.Status.UNCHANGED) {
                            unchanged++;
                        } else {
                            errors.add(e.getName() + ": " + r.status());
                        }
                        wovenMethods += r.wovenMethods();
                        plainMethods += candidates - r.wovenMethods();
                        points += r.suspensionPoints();
                    } catch (WeaveException | RuntimeException ex) {
                        nanos += System.nanoTime() - start;
                        errors.add(e.getName() + ": " + ex);
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                jar.putNextEntry(copy);
                jar.write(bytes);
                jar.closeEntry();
            }
        }
        return new WovenJar(lib, out, names, wovenClasses, unchanged, wovenMethods, plainMethods, points, nanos, errors);
    }

    /** A class of the jar: not {@code module-info}, not a multi-release version of another entry. */
    private static boolean isClass(String entry) {
        return entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class");
    }

    /** @return the methods instrument-all mode tries to weave: all with code but constructors and initializers */
    private static int weavableMethods(byte[] classFile) {
        int[] n = new int[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !name.startsWith("<")) {
                    n[0]++;
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return n[0];
    }

    // ---------------------------------------------------------------- linking

    /**
     * Loads and links every class of {@code jar} in a fresh loader whose parent holds only
     * the Weft runtime. {@code getDeclaredFields()} links the class (HotSpot verifies every
     * method then; a class with a broken method throws {@link VerifyError}) but does not
     * initialize it, so no static initializer of the library runs.
     *
     * @return for each class, {@code linked} or the error
     */
    private static Map<String, String> link(Path jar, Library lib, List<String> classNames) throws IOException {
        Map<String, String> outcome = new LinkedHashMap<>();
        List<URL> urls = new ArrayList<>();
        urls.add(jar.toUri().toURL());
        for (Path d : lib.dependencies()) {
            urls.add(d.toUri().toURL());
        }
        try (URLClassLoader runtime = new URLClassLoader(new URL[] {codeSource(Continuation.class).toUri().toURL(),
                codeSource(Async.class).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), runtime)) {
            for (String c : classNames) {
                try {
                    Class.forName(c, false, loader).getDeclaredFields();
                    outcome.put(c, "linked");
                } catch (LinkageError | ClassNotFoundException e) {
                    String message = String.valueOf(e.getMessage());
                    outcome.put(c, e.getClass().getName() + ": "
                            + (e instanceof VerifyError ? message : message.lines().findFirst().orElse("")));
                }
            }
        }
        return outcome;
    }

    // ---------------------------------------------------------------- the published suite

    /**
     * Runs Commons Codec's published tests in a child JVM against {@code codecJar}: the test
     * class path with the original Codec jar swapped for {@code codecJar}. The tests jar is
     * unpacked as Codec's own build lays it out, since some tests read their resources as
     * files: into {@code target/test-classes}, the class path entry whose tests are run,
     * and its resources into {@code src/test/resources} under the working directory.
     *
     * @return the summary counts and the failed tests' ids
     */
    private static Map<String, String> runSuite(String label, Path codecJar, Path testsJar) throws Exception {
        Path dir = work.resolve("suite-" + label);
        Path testClasses = dir.resolve("target/test-classes");
        unpack(testsJar, testClasses, true);
        unpack(testsJar, dir.resolve("src/test/resources"), false);
        Path originalCodec = property("weft.it.codec");
        List<String> cp = new ArrayList<>();
        cp.add(testClasses.toString());
        cp.add(codecJar.toString());
        cp.add(codeSource(Continuation.class).toString());
        List<Path> replaced = List.of(originalCodec.toAbsolutePath(), testsJar.toAbsolutePath());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty() && !replaced.contains(Path.of(e).toAbsolutePath())) {
                cp.add(e);
            }
        }
        Path report = dir.resolve("report.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Duser.language=en", "-Duser.country=US", "-Dweft.suite.probe=" + CODEC_PROBE,
                "-cp", String.join(File.pathSeparator, cp),
                SuiteRunner.class.getName(), report.toString(), testClasses.toString()));
        cmd.addAll(CODEC_SUITE_EXCLUDES);
        Path log = dir.resolve("output.txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the " + label + " suite did not finish in 4 minutes; output in " + log);
        }
        assertEquals(0, p.exitValue(), "the " + label + " suite's JVM failed:\n" + tail(log));
        System.out.printf("[weft] commons-codec test suite, %s: %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        Map<String, String> result = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        for (String line : Files.readAllLines(report)) {
            if (line.startsWith("FAILED\t")) {
                String[] parts = line.split("\t", 3);
                failed.add(parts[1]);
                System.out.println("[weft] " + label + " suite: " + line);
            } else {
                int eq = line.indexOf('=');
                result.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        result.put("failedTests", String.join(", ", failed));
        assertEquals(codecJar.toAbsolutePath(), Path.of(result.remove("probe")).toAbsolutePath(),
                "the " + label + " suite loaded Codec from the jar under test");
        return result;
    }

    /** Unpacks {@code jar} into {@code into}: every file, or only the resources (not classes, not META-INF). */
    private static void unpack(Path jar, Path into, boolean classesToo) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory() || !classesToo && (e.getName().endsWith(".class")
                        || e.getName().startsWith("META-INF/"))) {
                    continue;
                }
                Path target = into.resolve(e.getName());
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                    in.transferTo(out);
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    // ---------------------------------------------------------------- inputs

    private static Library library(String name) {
        Path jar = property("weft.it." + name);
        List<Path> deps = new ArrayList<>();
        String d = System.getProperty("weft.it." + name + ".deps", "");
        for (String e : d.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                deps.add(Path.of(e));
            }
        }
        return new Library(name, jar, List.copyOf(deps));
    }

    private static Path property(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank() || v.contains("${")) {
            throw new IllegalStateException("system property " + key + " is not set to a jar (was " + v + "): run "
                    + "this test through Maven, whose dependency:properties goal sets it (see weaver-tests/pom.xml)");
        }
        Path p = Path.of(v);
        if (!Files.isRegularFile(p)) {
            throw new UncheckedIOException(new IOException("no jar at " + p + " (property " + key + ")"));
        }
        return p;
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + c.getName(), e);
        }
    }
}
