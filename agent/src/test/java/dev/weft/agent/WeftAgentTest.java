package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.AsyncCallable;
import dev.weft.internal.Continuation;
import dev.weft.internal.Woven;
import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent attached to this JVM ({@link WeftAgent#install}), weaving classes compiled by the
 * test as a fresh class loader loads them.
 */
class WeftAgentTest {
    private static final List<String> FLOW_CLASSES = List.of("agentdemo.Flow", "agentdemo.Flow$Nested",
            "agentdemo.Flow$Nested$1");

    @TempDir
    Path work;

    private final ByteArrayOutputStream report = new ByteArrayOutputStream();
    private Installation agent;

    @AfterEach
    void uninstall() {
        if (agent != null) {
            agent.close();
        }
    }

    private Installation install(String options) {
        AgentOptions parsed = AgentOptions.parse(options);
        agent = WeftAgent.install(parsed, new StreamWritingListener(new PrintStream(report, true,
                StandardCharsets.UTF_8), parsed.verbose()));
        return agent;
    }

    private String report() {
        return report.toString(StandardCharsets.UTF_8);
    }

    private Path compile(String dir, Map<String, String> sources) throws IOException {
        return TestCompiler.compile(sources, work.resolve(dir + "-src"), work.resolve(dir));
    }

    /** Runs a task entry, resuming it with 1, 2, 3... until it is done. */
    private static Continuation drive(Object entry) {
        Continuation c = new Continuation((AsyncCallable<?>) entry);
        int resumes = 0;
        while (c.run() == Continuation.Status.SUSPENDED) {
            c.resumeWith(++resumes);
        }
        return c;
    }

    @Test
    void load_asyncClassesWithNestedAnonymousAndLambda_areWovenAndSuspendAndResume() throws Exception {
        Path classes = compile("flow", AgentSources.FLOW);
        install("verbose,include=agentdemo.");

        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            Continuation c = drive(loader.loadClass("agentdemo.Flow").getConstructor().newInstance());

            assertEquals("x1y2z3", c.result());
            assertEquals(3, c.suspensions());
            for (String name : FLOW_CLASSES) {
                assertTrue(Class.forName(name, false, loader).isAnnotationPresent(Woven.class), name);
            }
        }
        assertTrue(report().contains("[weft] WOVEN agentdemo.Flow ("), report());
        assertTrue(report().contains("[weft] WOVEN agentdemo.Flow$Nested (2 methods)"), "inner() and the lambda body: "
                + report());
        assertTrue(report().contains("[weft] WOVEN agentdemo.Flow$Nested$1 (2 methods)"), "call() and its bridge: "
                + report());
    }

    @Test
    void load_classWithWeaveErrors_isRefusedWithEveryProblem() throws Exception {
        Path classes = compile("bad", AgentSources.BAD);
        install("include=agentdemo.");

        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            LinkageError e = assertThrows(LinkageError.class, () -> Class.forName("agentdemo.Bad", true, loader));

            assertTrue(e.getMessage().startsWith("[weft] agentdemo.Bad was refused by the Weft agent"), e.getMessage());
            assertTrue(e.getMessage().contains("\nBad.java:8: Bad.notAsync() calls @Async Bad.leaf() but is not "
                    + "@Async. Fix: "), e.getMessage());
            assertTrue(e.getMessage().contains("\nBad.java:12: Bad.holdsMonitor() calls @Async Bad.leaf() while "
                    + "holding a monitor"), e.getMessage());
        }
        List<String> lines = report().lines().toList();
        assertEquals(2, lines.size(), report());
        assertTrue(lines.get(0).startsWith("[weft] ERROR agentdemo.Bad Bad.java:8: Bad.notAsync() calls"), report());
        assertTrue(lines.get(1).startsWith("[weft] ERROR agentdemo.Bad Bad.java:12: Bad.holdsMonitor() calls"),
                report());
    }

    @Test
    void load_classWithWeaveErrorsAndOnErrorWarn_isLoadedUnwovenAfterTheReport() throws Exception {
        Path classes = compile("bad", AgentSources.BAD);
        install("include=agentdemo.,onError=warn");

        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            Class<?> bad = Class.forName("agentdemo.Bad", true, loader);

            assertFalse(bad.isAnnotationPresent(Woven.class));
            Method notAsync = bad.getDeclaredMethod("notAsync");
            notAsync.setAccessible(true);
            assertEquals("leaf", notAsync.invoke(null));
        }
        assertTrue(report().contains("[weft] ERROR agentdemo.Bad Bad.java:8: "), report());
        assertTrue(report().contains("[weft] UNWOVEN agentdemo.Bad loaded as compiled (onError=warn)"), report());
    }

    @Test
    void transform_classWithoutAsync_returnsNoTransformation() throws Exception {
        Path classes = compile("plain", AgentSources.PLAIN);
        install("verbose,include=agentdemo.");
        byte[] bytes = Files.readAllBytes(classes.resolve("agentdemo/Plain.class"));

        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            assertNull(agent.transformer().transform(loader, "agentdemo/Plain", null, null, bytes));
            assertFalse(Class.forName("agentdemo.Plain", true, loader).isAnnotationPresent(Woven.class));
        }
        assertEquals("", report());
    }

    @Test
    void load_alreadyWovenClasses_areLeftAlone() throws Exception {
        Path classes = compile("flow", AgentSources.FLOW);
        for (String name : FLOW_CLASSES) {
            Path file = classes.resolve(name.replace('.', '/') + ".class");
            Files.write(file, buildTimeWeaver(classes).weave(Files.readAllBytes(file)).bytes());
        }
        install("verbose,include=agentdemo.");

        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            Continuation c = drive(loader.loadClass("agentdemo.Flow").getConstructor().newInstance());

            assertEquals("x1y2z3", c.result());
        }
        assertEquals("", report(), "nothing woven again");
    }

    @Test
    void dump_wovenClasses_areTheBytesTheBuildTimeWeaverWrites() throws Exception {
        Path classes = compile("flow", AgentSources.FLOW);
        Path dump = work.resolve("dump");
        install("include=agentdemo.,dump=" + dump);

        try (URLClassLoader loader = TestCompiler.loader(classes)) {
            drive(loader.loadClass("agentdemo.Flow").getConstructor().newInstance());
        }
        Weaver weaver = buildTimeWeaver(classes);
        for (String name : FLOW_CLASSES) {
            String rel = name.replace('.', '/') + ".class";
            WeaveResult expected = weaver.weave(Files.readAllBytes(classes.resolve(rel)));
            assertEquals(WeaveResult.Status.WOVEN, expected.status(), name);
            assertArrayEquals(expected.bytes(), Files.readAllBytes(dump.resolve(rel)), name);
        }
    }

    @Test
    void load_sameCallerInTwoLoaders_isWovenAgainstEachLoadersOwnHierarchy() throws Exception {
        String lib = """
                package agentdemo;
                public class Lib {
                    public static String get() {
                        return "v";
                    }
                }
                """;
        String caller = """
                package agentdemo;
                public class Caller {
                    public static String use() {
                        return Lib.get();
                    }
                }
                """;
        Path asyncLib = compile("async", Map.of("agentdemo/Lib.java", lib.replace("public static String get()",
                "@dev.weft.annotation.Async public static String get()"), "agentdemo/Caller.java", caller));
        Path plainLib = compile("plain", Map.of("agentdemo/Lib.java", lib));
        Files.copy(asyncLib.resolve("agentdemo/Caller.class"), plainLib.resolve("agentdemo/Caller.class"));
        install("include=agentdemo.");

        try (URLClassLoader async = TestCompiler.loader(asyncLib);
             URLClassLoader plain = TestCompiler.loader(plainLib)) {
            LinkageError e = assertThrows(LinkageError.class, () -> Class.forName("agentdemo.Caller", true, async));
            assertTrue(e.getMessage().contains("Caller.java:4: Caller.use() calls @Async Lib.get()"), e.getMessage());
            assertEquals("v", Class.forName("agentdemo.Caller", true, plain).getMethod("use").invoke(null));

            WeavingTransformer t = agent.transformer();
            assertNotSame(t.weavingFor(async), t.weavingFor(plain));
            assertSame(t.weavingFor(async), t.weavingFor(async));
        }
    }

    /**
     * The one way past the agent, pinned down so that a change in it is noticed: the JVM gives a
     * transformer no class loaded on a thread already inside a transformer, so a class that a
     * loader loads from within {@code getResourceAsStream}, while the agent reads the hierarchy
     * through it, loads as compiled.
     */
    @Test
    void load_classLoadedByItsLoaderWhileAnotherIsWoven_isNotSeenByTheAgent() throws Exception {
        Map<String, String> sources = new HashMap<>(AgentSources.FLOW);
        sources.put("agentdemo/Helper.java", """
                package agentdemo;
                public class Helper {
                    @dev.weft.annotation.Async public static String help() {
                        return "help";
                    }
                }
                """);
        Path classes = compile("reentrant", sources);
        install("include=agentdemo.");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader()) {
            private boolean loading;

            @Override
            public InputStream getResourceAsStream(String name) {
                if (!loading) {
                    loading = true;
                    try {
                        loadClass("agentdemo.Helper");
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return super.getResourceAsStream(name);
            }
        }) {
            assertTrue(loader.loadClass("agentdemo.Flow").isAnnotationPresent(Woven.class));
            assertFalse(Class.forName("agentdemo.Helper", true, loader).isAnnotationPresent(Woven.class));
        }
        assertEquals("", report());
    }

    /** The weaver as the Maven plugin runs it: the classes directory, then the test class path. */
    private static Weaver buildTimeWeaver(Path classes) {
        List<Path> path = new ArrayList<>();
        path.add(classes);
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            path.add(Path.of(e));
        }
        return new Weaver(new ClassHierarchy(ClassFileLocator.ofPath(path)), WeaveOptions.DEFAULT);
    }
}
