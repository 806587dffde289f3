package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent jar, as users run it: {@code java -javaagent:weft-agent.jar ...} in a JVM
 * of its own, on JDK 17 and, where this machine has one, JDK 25. Runs after {@code package}
 * (failsafe), since it needs the shaded jar.
 */
class AgentJarIT {
    private static final Map<String, String> PROGRAM = Map.of("demo/Main.java", """
            package demo;
            import dev.weft.internal.Continuation;
            public class Main {
                public static void main(String[] args) {
                    Continuation c = new Continuation(new Task());
                    int resumes = 0;
                    while (c.run() == Continuation.Status.SUSPENDED) {
                        c.resumeWith(++resumes);
                    }
                    System.out.println("result " + c.result() + " after " + c.suspensions() + " suspensions");
                }
            }
            """, "demo/Task.java", """
            package demo;
            import dev.weft.AsyncCallable;
            import dev.weft.annotation.Async;
            import dev.weft.internal.Continuation;
            public class Task implements AsyncCallable<String> {
                @Async @Override public String call() {
                    return step("x") + step("y");
                }
                @Async static String step(String s) {
                    return s + Continuation.suspend();
                }
            }
            """, "demo/SelfAttach.java", """
            package demo;
            import dev.weft.agent.Installation;
            import dev.weft.agent.WeftAgent;
            public class SelfAttach {
                public static void main(String[] args) {
                    try (Installation weft = WeftAgent.install("verbose")) {
                        Main.main(args);
                    }
                }
            }
            """);

    @TempDir
    static Path work;

    private static Path program;

    @BeforeAll
    static void compileProgram() throws IOException {
        program = TestCompiler.compile(PROGRAM, work.resolve("src"), work.resolve("classes"));
    }

    private static Path agentJar() {
        Path jar = Path.of(System.getProperty("weft.agent.jar", "target/weft-agent.jar"));
        assertTrue(Files.isRegularFile(jar), "no agent jar at " + jar + "; run this through 'mvn verify'");
        return jar;
    }

    @Test
    void jar_manifestAndEntries_nameTheAgentAndHoldOnlyRelocatedLibraries() throws IOException {
        try (JarFile jar = new JarFile(agentJar().toFile())) {
            Manifest m = jar.getManifest();
            assertEquals("dev.weft.agent.WeftAgent", m.getMainAttributes().getValue("Premain-Class"));
            assertEquals("dev.weft.agent.WeftAgent", m.getMainAttributes().getValue("Agent-Class"));
            List<String> classes = Collections.list(jar.entries()).stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class")).toList();
            assertTrue(classes.contains("dev/weft/agent/shaded/weaver/Weaver.class"), "the weaver");
            assertTrue(classes.contains("dev/weft/agent/shaded/asm/ClassReader.class"), "ASM");
            assertTrue(classes.contains("dev/weft/agent/shaded/bytebuddy/agent/ByteBuddyAgent.class"), "Byte Buddy");
            List<String> outside = classes.stream().filter(n -> !n.startsWith("dev/weft/agent/")).toList();
            assertEquals(List.of(), outside, "every class is the agent's own or relocated under it");
        }
    }

    @Test
    void javaagent_onJdk17_weavesAndRunsTheProgram() throws Exception {
        assertWovenRun(Path.of(System.getProperty("java.home")));
    }

    @Test
    void javaagent_onJdk25_weavesAndRunsTheProgram() throws Exception {
        assertWovenRun(jdk25());
    }

    private static Path jdk25() {
        Path jdk25 = Path.of(System.getProperty("weft.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "no JDK 25 at " + jdk25 + " (set weft.jdk25.home)");
        return jdk25;
    }

    @Test
    void install_fromTheAgentJarOnTheClassPath_selfAttachesAndWeaves() throws Exception {
        Launch l = launch(Path.of(System.getProperty("java.home")), List.of("-cp", classPath(agentJar().toString()),
                "demo.SelfAttach"));

        assertEquals(0, l.exitCode(), l.toString());
        assertEquals("result x1y2 after 2 suspensions", l.stdout().strip(), l.toString());
        assertTrue(l.stderr().lines().anyMatch(line -> line.startsWith("[weft] WOVEN demo.Task (")), l.toString());
    }

    @Test
    void install_onJdk25_warnsOfTheDynamicAgentUnlessEnabled() throws Exception {
        Path jdk25 = jdk25();
        Launch warned = launch(jdk25, List.of("-cp", classPath(agentJar().toString()), "demo.SelfAttach"));
        Launch quiet = launch(jdk25, List.of("-XX:+EnableDynamicAgentLoading", "-cp", classPath(agentJar().toString()),
                "demo.SelfAttach"));

        assertEquals(0, warned.exitCode(), warned.toString());
        assertTrue(warned.stderr().contains("WARNING: A Java agent has been loaded dynamically"), warned.toString());
        assertEquals(0, quiet.exitCode(), quiet.toString());
        assertTrue(quiet.stderr().lines().noneMatch(line -> line.startsWith("WARNING:")), quiet.toString());
    }

    @Test
    void javaagent_unknownOption_stopsTheJvmNamingIt() throws Exception {
        Launch l = launch(Path.of(System.getProperty("java.home")), "verbose,bogus");

        assertNotEquals(0, l.exitCode(), l.toString());
        assertTrue(l.stderr().contains("unknown Weft agent option 'bogus' in 'verbose,bogus'"), l.toString());
    }

    private static void assertWovenRun(Path javaHome) throws Exception {
        Launch l = launch(javaHome, "verbose");

        assertEquals(0, l.exitCode(), l.toString());
        assertEquals("result x1y2 after 2 suspensions", l.stdout().strip(), l.toString());
        assertTrue(l.stderr().lines().anyMatch(line -> line.startsWith("[weft] WOVEN demo.Task (")), l.toString());
        assertTrue(l.stderr().lines().noneMatch(line -> line.contains("demo.Main")), "Main has nothing to weave: " + l);
    }

    private record Launch(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static Launch launch(Path javaHome, String options) throws Exception {
        return launch(javaHome, List.of("-javaagent:" + agentJar().toAbsolutePath() + "=" + options, "-cp",
                classPath(), "demo.Main"));
    }

    /** The program's class path: its classes, the runtime and the annotations, then {@code more}. */
    private static String classPath(String... more) throws URISyntaxException {
        List<String> entries = new ArrayList<>(List.of(program.toString(), location(Continuation.class),
                location(Async.class)));
        entries.addAll(List.of(more));
        return String.join(File.pathSeparator, entries);
    }

    private static Launch launch(Path javaHome, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(args);
        Path out = work.resolve("stdout-" + System.nanoTime());
        Path err = work.resolve("stderr-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the program did not finish in 2 minutes: " + cmd);
        }
        return new Launch(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The class-path entry a class was loaded from: the runtime's or the annotations' jar, or classes directory. */
    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
