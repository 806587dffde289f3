package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.Javac;
import dev.weft.weaver.testing.Weaving;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.util.CheckClassAdapter;

/** What the weaver writes: verified, marked, deterministic, and left alone when woven already. */
class WeaveOutputTest {
    @TempDir
    static Path work;
    static Path corpus;

    @BeforeAll
    static void compile() {
        corpus = work.resolve("corpus");
        Javac.compileTree(null, 17, Path.of("src/test/corpus"), corpus);
    }

    private static List<Path> corpusClasses() {
        return Weaving.classFiles(corpus);
    }

    @Test
    void weavingTheSameBytesTwice_givesIdenticalBytes() throws Exception {
        for (Path f : corpusClasses()) {
            byte[] in = java.nio.file.Files.readAllBytes(f);
            byte[] first = Weaving.weaver(corpus, WeaveOptions.DEFAULT).weave(in).bytes();
            byte[] second = Weaving.weaver(corpus, WeaveOptions.DEFAULT).weave(in).bytes();
            assertArrayEquals(first, second, f.toString());
        }
    }

    @Test
    void wovenClass_isLeftAloneBySecondWeave_byItsVersionedMarker() throws Exception {
        int woven = 0;
        for (Path f : corpusClasses()) {
            Weaver weaver = Weaving.weaver(corpus, WeaveOptions.DEFAULT);
            WeaveResult once = weaver.weave(java.nio.file.Files.readAllBytes(f));
            if (once.status() != WeaveResult.Status.WOVEN) {
                continue;
            }
            woven++;
            WeaveResult twice = weaver.weave(once.bytes());
            assertEquals(WeaveResult.Status.ALREADY_WOVEN, twice.status(), f.toString());
            assertArrayEquals(once.bytes(), twice.bytes());
            ClassNode cn = new ClassNode();
            new ClassReader(once.bytes()).accept(cn, 0);
            assertTrue(cn.visibleAnnotations.stream().anyMatch(a -> a.desc.equals("Ldev/weft/internal/Woven;")
                    && a.values.equals(List.of("value", Weaver.FORMAT_VERSION))), f.toString());
        }
        assertTrue(woven >= 8, "the corpus has woven classes: " + woven);
    }

    @Test
    void everyWovenClass_passesCheckClassAdapterWithDataFlow() throws Exception {
        for (Path f : corpusClasses()) {
            WeaveResult r = Weaving.weaver(corpus, WeaveOptions.DEFAULT).weave(java.nio.file.Files.readAllBytes(f));
            StringWriter report = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(r.bytes()), Weaving.loader(corpus), false, new PrintWriter(report));
            assertEquals("", report.toString(), f.toString());
        }
    }

    @Test
    void wovenMethodReport_namesStatesLinesAndSavedLocals() throws Exception {
        WeaveResult r = Weaving.weaver(corpus, WeaveOptions.DEFAULT)
                .weave(Weaving.classBytes(corpus, "dev.weft.corpus.Exceptions"));
        WovenMethod nested = r.methods().stream().filter(m -> m.name().equals("nested")).findFirst().orElseThrow();
        // note(enter), fail, nested, and the finally block's note() copied by javac to each of three exits
        assertEquals(6, nested.points().size(), nested.toString());
        for (int i = 0; i < 6; i++) {
            assertEquals(i, nested.points().get(i).state());
        }
        WovenMethod.SuspensionPoint recurse = nested.points().stream()
                .filter(p -> p.callee().equals("Exceptions.nested(int)")).findFirst().orElseThrow();
        assertEquals(26, recurse.line());
        assertTrue(recurse.savedLocals().contains("0 depth: int"), recurse.savedLocals().toString());
    }

    @Test
    void suspensionPoint_savesOnlyTheLocalsReadAfterIt() throws Exception {
        Path classes = Javac.compileSources(java.util.Map.of("demo/Live.java", """
                package demo;
                import dev.weft.annotation.Async;
                import dev.weft.weaver.testing.Probe;
                public class Live {
                    @Async static int f(int used, int unused) {
                        int dead = unused * 2;
                        Probe.point();
                        return used + 1;
                    }
                }
                """), work.resolve("live"));
        WeaveResult r = Weaving.weaver(classes, WeaveOptions.DEFAULT).weave(Weaving.classBytes(classes, "demo.Live"));
        WovenMethod.SuspensionPoint p = r.methods().get(0).points().get(0);
        assertEquals(List.of("0 used: int"), p.savedLocals());
    }
}
