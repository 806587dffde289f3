package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.CorpusMain;
import dev.weft.weaver.testing.Javac;
import dev.weft.weaver.testing.Weaving;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Class files of Java 25 (major version 69): the corpus compiled by javac 25 with
 * {@code --release 25} is woven by the weaver running on the test JVM, checked, and run
 * plain and woven on JDK 25 in a JVM of its own.
 */
class Java25CorpusTest {
    @TempDir
    Path work;

    @Test
    void corpusCompiledForJava25_weavesVerifiesAndRunsLikeThePlainCode() throws Exception {
        Path jdk25 = Javac.jdk25();
        Assumptions.assumeTrue(jdk25 != null, "no JDK 25 at -Dweft.jdk25.home: the Java 25 class-file runs are skipped");
        Path plain = work.resolve("plain");
        Javac.compileTree(jdk25, 25, Path.of("src/test/corpus"), plain);
        byte[] sample = Weaving.classBytes(plain, "dev.weft.corpus.Values");
        assertEquals(Opcodes.V25, ((sample[6] & 0xFF) << 8) | (sample[7] & 0xFF), "compiled as Java 25 class files");

        Path woven = work.resolve("woven");
        int count = Weaving.weaveTree(plain, woven);
        assertTrue(count >= 8, "woven classes: " + count);
        for (Path f : Weaving.classFiles(woven)) {
            StringWriter err = new StringWriter();
            try {
                new ClassReader(Files.readAllBytes(f)).accept(new CheckClassAdapter(new ClassVisitor(Opcodes.ASM9) { },
                        true), 0);
            } catch (RuntimeException e) {
                e.printStackTrace(new PrintWriter(err));
            }
            assertEquals("", err.toString(), f.toString());
        }

        List<String> cmd = new ArrayList<>(List.of(jdk25.resolve("bin/java").toString(), "-cp",
                System.getProperty("java.class.path"), CorpusMain.class.getName(), plain.toString(), woven.toString()));
        cmd.addAll(CorpusTest.FIXTURES);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "JDK 25 run finished");
        assertEquals(0, p.exitValue(), out);
        assertEquals(CorpusTest.FIXTURES.size(), out.lines().filter(l -> l.startsWith("OK ")).count(), out);
    }
}
