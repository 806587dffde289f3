package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveResult;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's pre-filter, against the weaver it guards: every class the weaver would rewrite or
 * refuse is a candidate, including those that mention no {@code @Async} annotation.
 */
class LoaderWeavingTest {
    private static final Map<String, String> SOURCES = Map.of(
            "filter/Owner.java", """
                    package filter;
                    import dev.weft.annotation.Async;
                    public class Owner {
                        @Async public static String get() {
                            return "v";
                        }
                    }
                    """,
            "filter/SubOwner.java", """
                    package filter;
                    public class SubOwner extends Owner {
                    }
                    """,
            "filter/CallerOnly.java", """
                    package filter;
                    public class CallerOnly {
                        static String use() {
                            return Owner.get();
                        }
                    }
                    """,
            "filter/CallsThroughSubclass.java", """
                    package filter;
                    public class CallsThroughSubclass {
                        static String use() {
                            return SubOwner.get();
                        }
                    }
                    """,
            "filter/OverrideOnly.java", """
                    package filter;
                    public class OverrideOnly implements dev.weft.AsyncCallable<String> {
                        @Override public String call() {
                            return "not async";
                        }
                    }
                    """,
            "filter/LambdaOnly.java", """
                    package filter;
                    public class LambdaOnly {
                        static void take(dev.weft.AsyncCallable<String> c) {
                        }
                        static void use() {
                            take(() -> "x");
                        }
                    }
                    """,
            "filter/Plain.java", """
                    package filter;
                    import java.util.List;
                    public class Plain {
                        static int size(List<String> l) {
                            Runnable r = () -> l.clear();
                            r.run();
                            return l.size() + new StringBuilder("x").length();
                        }
                    }
                    """);

    @TempDir
    static Path work;

    private static Path classes;

    @BeforeAll
    static void compile() throws IOException {
        classes = TestCompiler.compile(SOURCES, work.resolve("src"), work.resolve("classes"));
    }

    private static ConstantPoolSummary summary(String name) throws IOException {
        ConstantPoolSummary s = ConstantPoolSummary.read(Files.readAllBytes(classes.resolve(name + ".class")));
        assertNotNull(s, name);
        return s;
    }

    @Test
    void read_classFile_namesItselfTheAnnotationAndTheClassesItUses() throws IOException {
        ConstantPoolSummary owner = summary("filter/Owner");
        ConstantPoolSummary caller = summary("filter/CallerOnly");
        ConstantPoolSummary lambda = summary("filter/LambdaOnly");

        assertEquals("filter/Owner", owner.thisClass());
        assertTrue(owner.mentionsAsync());
        assertFalse(caller.mentionsAsync());
        assertTrue(caller.namedClasses().contains("filter/Owner"), caller.namedClasses().toString());
        assertFalse(caller.namedClasses().contains("filter/CallerOnly"), "not itself");
        assertTrue(lambda.namedClasses().contains("dev/weft/AsyncCallable"), "from the invokedynamic only");
    }

    @Test
    void read_notAClassFile_isNull() {
        assertEquals(null, ConstantPoolSummary.read(new byte[] {1, 2, 3}));
        assertEquals(null, ConstantPoolSummary.read(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE,
                0, 0, 0, 61, 0, 5, 99}));
    }

    @Test
    void isCandidate_eachWayOfTouchingAsyncCode_isACandidate() throws IOException {
        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            LoaderWeaving weaving = new LoaderWeaving(loader);
            for (String name : List.of("filter/Owner", "filter/CallerOnly", "filter/CallsThroughSubclass",
                    "filter/OverrideOnly", "filter/LambdaOnly")) {
                assertTrue(weaving.isCandidate(summary(name)), name);
            }
            assertTrue(weaving.isCandidate(summary("filter/SubOwner")), "its overrides are checked");
            assertFalse(weaving.isCandidate(summary("filter/Plain")));
        }
    }

    @Test
    void isCandidate_whatTheWeaverWouldChangeOrRefuse_isAlwaysACandidate() throws Exception {
        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            LoaderWeaving weaving = new LoaderWeaving(loader);
            for (String source : SOURCES.keySet()) {
                String name = source.substring(0, source.length() - ".java".length());
                byte[] bytes = Files.readAllBytes(classes.resolve(name + ".class"));
                boolean changesOrRefuses;
                try {
                    changesOrRefuses = weaving.weaver().weave(bytes).status() != WeaveResult.Status.UNCHANGED;
                } catch (WeaveException e) {
                    changesOrRefuses = true;
                }
                if (changesOrRefuses) {
                    assertTrue(weaving.isCandidate(summary(name)), name + " is woven or refused, so a candidate");
                }
            }
        }
    }

    @Test
    void isAsyncOwner_subclassOfAnAsyncOwner_isOneAndJdkClassesAreNot() throws IOException {
        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            LoaderWeaving weaving = new LoaderWeaving(loader);
            assertTrue(weaving.isAsyncOwner("filter/SubOwner"));
            assertTrue(weaving.isAsyncOwner("dev/weft/AsyncCallable"));
            assertFalse(weaving.isAsyncOwner("filter/Plain"));
            assertFalse(weaving.isAsyncOwner("java/lang/Object"));
            assertFalse(weaving.isAsyncOwner("filter/Missing"));
        }
    }

    @Test
    void weave_callerOnlyAndLambdaOnly_areRefusedAndWoven() throws Exception {
        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            LoaderWeaving weaving = new LoaderWeaving(loader);
            assertThrows(WeaveException.class, () -> weaving.weaver().weave(
                    Files.readAllBytes(classes.resolve("filter/CallerOnly.class"))));
            assertEquals(WeaveResult.Status.WOVEN, weaving.weaver().weave(
                    Files.readAllBytes(classes.resolve("filter/LambdaOnly.class"))).status(),
                    "a lambda implementing an @Async interface is woven, though the class names no async owner "
                            + "in a CONSTANT_Class");
        }
    }
}
