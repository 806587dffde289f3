package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.internal.Continuation;
import dev.weft.weaver.testing.Javac;
import dev.weft.weaver.testing.Probe;
import dev.weft.weaver.testing.ReflectiveEntry;
import dev.weft.weaver.testing.Weaving;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential corpus: every fixture class under {@code src/test/corpus} is compiled by
 * javac 17 and by javac 25, woven, and run suspending at every suspension point and then at
 * seeded random ones; each run must give exactly what the unwoven class gives run plainly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusTest {
    static final List<String> FIXTURES = List.of("Values", "Exceptions", "Control", "Dispatch");
    static final Path CORPUS = Path.of("src/test/corpus");

    @TempDir
    static Path work;

    record Build(String compiler, Path plain, Path woven) {
        @Override
        public String toString() {
            return compiler;
        }
    }

    private final List<Build> builds = new ArrayList<>();

    @BeforeAll
    void compileAndWeave() throws Exception {
        builds.add(build("javac17", null));
        Path jdk25 = Javac.jdk25();
        if (jdk25 != null) {
            builds.add(build("javac25", jdk25));
        } else {
            System.out.println("[weft] no JDK 25 at -Dweft.jdk25.home: the javac 25 corpus runs are skipped");
        }
    }

    private Build build(String name, Path jdk) throws Exception {
        Path plain = work.resolve(name + "/plain");
        Javac.compileTree(jdk, 17, CORPUS, plain);
        Path woven = work.resolve(name + "/woven");
        Weaving.weaveTree(plain, woven);
        return new Build(name, plain, woven);
    }

    Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (Build b : builds) {
            for (String f : FIXTURES) {
                out.add(new Object[] {b, f});
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("cases")
    void wovenRun_suspendingEverywhereAndAtRandom_givesThePlainResult(Build build, String fixture) throws Exception {
        Probe.use(Probe.Policy.NEVER, 0);
        String expected = (String) entry(build.plain(), fixture).invoke(null);
        int points = Probe.points();
        assertTrue(points > 0, "the fixture reaches no suspension point");

        Method woven = entry(build.woven(), fixture);
        Probe.use(Probe.Policy.NEVER, 0);
        assertEquals(expected, runInContinuation(woven).result, "woven, never suspending");

        Probe.use(Probe.Policy.ALWAYS, 0);
        Outcome always = runInContinuation(woven);
        assertEquals(expected, always.result, "woven, suspending at every point");
        assertEquals(points, always.suspensions, "every suspension point suspended once");

        for (long seed = 1; seed <= 12; seed++) {
            Probe.use(Probe.Policy.RANDOM, seed);
            Outcome random = runInContinuation(woven);
            assertEquals(expected, random.result, "woven, suspending at random points, seed " + seed);
        }

        Probe.use(Probe.Policy.ALWAYS, 0);
        assertEquals(expected, entry(build.woven(), fixture).invoke(null),
                "woven code called outside any continuation runs plainly");
    }

    record Outcome(Object result, int suspensions) {
    }

    static Outcome runInContinuation(Method entry) {
        Continuation c = new Continuation(new ReflectiveEntry(entry));
        while (c.run() == Continuation.Status.SUSPENDED) {
            assertTrue(c.savedSlots() > 0, "a suspended continuation saved its frames");
        }
        if (c.failure() != null) {
            throw new AssertionError("woven run failed", c.failure());
        }
        assertEquals(0, c.savedSlots(), "no frame left behind");
        return new Outcome(c.result(), c.suspensions());
    }

    static Method entry(Path classes, String fixture) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(classes));
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, CorpusTest.class.getClassLoader());
        Method m = loader.loadClass("dev.weft.corpus." + fixture).getDeclaredMethod("run");
        m.setAccessible(true);
        return m;
    }
}
