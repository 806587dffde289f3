package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

class DirectoryWeaverTest {
    private static final String FETCHER = """
            package demo;
            import dev.weft.annotation.Async;
            public class Fetcher {
                @Async public static String get(String k) {
                    return k;
                }
                @Async public static String both() {
                    return get("a") + get("b");
                }
            }
            """;
    private static final String PLAIN = """
            package demo;
            public class Plain {
                public static int twice(int x) {
                    return 2 * x;
                }
            }
            """;
    private static final String BAD = """
            package demo;
            import dev.weft.annotation.Async;
            public class Bad {
                static String first() {
                    return Fetcher.get("x");
                }
                @Async static synchronized String second() {
                    return Fetcher.get("y");
                }
            }
            """;

    @TempDir
    Path work;

    private Path classes() {
        return work.resolve("classes");
    }

    private Path state() {
        return work.resolve("target/weft/weave-default.state");
    }

    private void compile(Map<String, String> sources) throws IOException {
        TestCompiler.compile(sources, work.resolve("src"), classes(), classes());
    }

    private DirectoryOutcome weave() throws IOException {
        return weave(ClassFileFilter.ALL, false, List.of());
    }

    private DirectoryOutcome weave(ClassFileFilter filter, boolean failOnWarning, List<Path> classPath)
            throws IOException {
        return new DirectoryWeaver(classes(), classPath, state(), filter, failOnWarning).weave();
    }

    private byte[] bytes(String rel) throws IOException {
        return Files.readAllBytes(classes().resolve(rel));
    }

    @Test
    void weave_asyncClass_rewritesItInPlaceWithTheMarker() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN));
        byte[] plain = bytes("demo/Plain.class");

        DirectoryOutcome o = weave();

        assertTrue(isWoven(bytes("demo/Fetcher.class")));
        assertArrayEquals(plain, bytes("demo/Plain.class"), "a class without @Async is not rewritten");
        assertEquals(1, o.tally().wovenClasses());
        assertEquals(2, o.tally().suspensionPoints());
        assertEquals(1, o.tally().unchanged());
        assertFalse(o.failed());
        assertTrue(o.summary().startsWith("woven 1 class ("), o.summary());
        assertTrue(o.summary().endsWith(", 2 suspension points), 0 already woven, 1 unchanged"), o.summary());
    }

    @Test
    void weave_secondRunOfUnchangedBuild_readsNoClassFile() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN));
        weave();
        FileTime wovenAt = Files.getLastModifiedTime(classes().resolve("demo/Fetcher.class"));

        DirectoryOutcome second = weave();

        assertTrue(second.upToDate());
        assertEquals(0, second.classFilesRead());
        assertEquals("woven 0 classes (0 methods, 0 suspension points), 1 already woven, 1 unchanged; nothing "
                + "changed since the last weave", second.summary());
        assertEquals(wovenAt, Files.getLastModifiedTime(classes().resolve("demo/Fetcher.class")));
    }

    @Test
    void weave_stateFileDeleted_findsWovenClassAlreadyWovenAndLeavesItAlone() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER));
        weave();
        byte[] woven = bytes("demo/Fetcher.class");
        Files.delete(state());

        DirectoryOutcome again = weave();

        assertFalse(again.upToDate());
        assertEquals(1, again.tally().alreadyWoven());
        assertEquals(0, again.tally().wovenClasses());
        assertArrayEquals(woven, bytes("demo/Fetcher.class"));
    }

    @Test
    void weave_oneClassRecompiled_weavesItAndSkipsWovenOnes() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN));
        weave();
        TestCompiler.compile(Map.of("demo/Plain.java", PLAIN.replace("public static int twice(int x)",
                "@dev.weft.annotation.Async public static int twice(int x)")), work.resolve("src2"), classes(),
                classes());

        DirectoryOutcome second = weave();

        assertFalse(second.upToDate());
        assertTrue(isWoven(bytes("demo/Plain.class")));
        assertEquals(1, second.tally().wovenClasses());
        assertEquals(1, second.tally().alreadyWoven(), "Fetcher is skipped, counted from the last run");
    }

    @Test
    void weave_calleeBecameAsync_checksUnchangedCallersAgain() throws IOException {
        String lib = """
                package demo;
                public class Lib {
                    public static String get() {
                        return "v";
                    }
                }
                """;
        String caller = """
                package demo;
                public class Caller {
                    static String use() {
                        return Lib.get();
                    }
                }
                """;
        compile(Map.of("demo/Lib.java", lib, "demo/Caller.java", caller));
        assertFalse(weave().failed());
        TestCompiler.compile(Map.of("demo/Lib.java", lib.replace("public static String get()",
                "@dev.weft.annotation.Async public static String get()")), work.resolve("src2"), classes(), classes());

        DirectoryOutcome second = weave();

        assertTrue(second.failed());
        assertEquals(1, second.errors().size(), second.errors().toString());
        assertTrue(second.errors().get(0).startsWith("demo/Caller.java:4: "), second.errors().get(0));
    }

    @Test
    void weave_classWithProblems_reportsEveryProblemWithItsSourcePathAndLeavesItUnwoven() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/Bad.java", BAD));
        byte[] bad = bytes("demo/Bad.class");

        DirectoryOutcome o = weave();

        assertTrue(o.failed());
        assertEquals(2, o.errors().size(), o.errors().toString());
        assertTrue(o.errors().get(0).startsWith("demo/Bad.java:5: "), o.errors().get(0));
        assertTrue(o.errors().get(1).startsWith("demo/Bad.java:8: "), o.errors().get(1));
        assertTrue(o.errors().stream().allMatch(e -> e.contains("Fix: ")), o.errors().toString());
        assertArrayEquals(bad, bytes("demo/Bad.class"));
        assertTrue(isWoven(bytes("demo/Fetcher.class")), "the other classes are still woven");
        assertTrue(o.summary().contains("1 refused (2 problems, not written)"), o.summary());
    }

    @Test
    void weave_refusedClassUnchanged_isReportedAgainOnTheNextRun() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/Bad.java", BAD));
        weave();

        DirectoryOutcome second = weave();

        assertFalse(second.upToDate());
        assertTrue(second.failed());
        assertEquals(2, second.errors().size(), second.errors().toString());
    }

    @Test
    void weave_unresolvedCallee_warnsAndWeaves() throws IOException {
        compile(usesGone());
        Files.delete(classes().resolve("demo/Gone.class"));

        DirectoryOutcome o = weave();

        assertFalse(o.failed());
        assertEquals(1, o.warnings().size(), o.warnings().toString());
        assertTrue(o.warnings().get(0).startsWith("demo/UsesGone.java:5: warning: "), o.warnings().get(0));
        assertTrue(isWoven(bytes("demo/UsesGone.class")));
    }

    @Test
    void weave_unresolvedCalleeWithFailOnWarning_failsAndLeavesClassUnwoven() throws IOException {
        compile(usesGone());
        Files.delete(classes().resolve("demo/Gone.class"));
        byte[] original = bytes("demo/UsesGone.class");

        DirectoryOutcome o = weave(ClassFileFilter.ALL, true, List.of());

        assertTrue(o.failed());
        assertEquals(1, o.warnings().size(), o.warnings().toString());
        assertArrayEquals(original, bytes("demo/UsesGone.class"));
        assertTrue(weave(ClassFileFilter.ALL, true, List.of()).failed(), "and again on the next run");
    }

    private static Map<String, String> usesGone() {
        return Map.of("demo/Gone.java", """
                package demo;
                public class Gone {
                    public static void call() {
                    }
                }
                """, "demo/UsesGone.java", """
                package demo;
                import dev.weft.annotation.Async;
                public class UsesGone {
                    @Async static void run() {
                        Gone.call();
                        Fetcher.get("z");
                    }
                }
                """, "demo/Fetcher.java", FETCHER);
    }

    @Test
    void weave_excludedClass_isNotWovenButStillResolvesCalls() throws IOException {
        String user = """
                package demo;
                import dev.weft.annotation.Async;
                public class User {
                    @Async static String use() {
                        return Fetcher.get("u");
                    }
                }
                """;
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/User.java", user));
        byte[] fetcher = bytes("demo/Fetcher.class");

        DirectoryOutcome o = weave(new ClassFileFilter(List.of(), List.of("demo/Fetcher.class")), false, List.of());

        assertArrayEquals(fetcher, bytes("demo/Fetcher.class"));
        assertTrue(isWoven(bytes("demo/User.class")));
        assertEquals(1, o.tally().classes(), "the excluded class is not counted");
        assertEquals(1, o.tally().suspensionPoints(), "Fetcher.get is known to be @Async");
    }

    @Test
    void weave_classPathChanged_checksEveryClassAgain() throws IOException {
        compile(Map.of("demo/Fetcher.java", FETCHER, "demo/Plain.java", PLAIN));
        Path lib = Files.createDirectories(work.resolve("lib"));
        weave(ClassFileFilter.ALL, false, List.of(lib));
        Files.writeString(lib.resolve("added.txt"), "a class-path entry changed");

        DirectoryOutcome second = weave(ClassFileFilter.ALL, false, List.of(lib));

        assertFalse(second.upToDate());
        assertTrue(second.classFilesRead() >= 2, "read " + second.classFilesRead());
        assertEquals(1, second.tally().alreadyWoven());
        assertEquals(1, second.tally().unchanged());
    }

    @Test
    void weave_fileThatIsNotAClass_isReportedByItsPath() throws IOException {
        compile(Map.of("demo/Plain.java", PLAIN));
        Files.writeString(classes().resolve("demo/Broken.class"), "not a class");

        DirectoryOutcome o = weave();

        assertTrue(o.failed());
        assertEquals(List.of("demo/Broken.class: not a class file (it does not start with 0xCAFEBABE). Fix: remove it "
                + "from " + classes() + ", or recompile its source."), o.errors());
    }

    @Test
    void weave_moduleDescriptor_isCountedUnchanged() throws IOException {
        compile(Map.of("module-info.java", "module demo { exports demo; }", "demo/Plain.java", PLAIN));
        byte[] descriptor = bytes("module-info.class");

        DirectoryOutcome o = weave();

        assertFalse(o.failed(), o.errors().toString());
        assertEquals(2, o.tally().unchanged());
        assertArrayEquals(descriptor, bytes("module-info.class"));
    }

    @Test
    void weave_missingDirectory_doesNothing() throws IOException {
        DirectoryOutcome o = weave();

        assertEquals(0, o.tally().classes());
        assertFalse(o.failed());
        assertFalse(Files.exists(state()));
    }

    static boolean isWoven(byte[] classFile) {
        boolean[] found = {false};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                found[0] |= visible && descriptor.equals("Ldev/weft/internal/Woven;");
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return found[0];
    }
}
