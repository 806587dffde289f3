package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.internal.Continuation;
import dev.weft.lowlevel.UnwovenFrameError;
import dev.weft.weaver.testing.Javac;
import dev.weft.weaver.testing.Probe;
import dev.weft.weaver.testing.ReflectiveEntry;
import dev.weft.weaver.testing.Weaving;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-time side of the protocol: unwoven frames are refused loudly; stack traces keep the source lines. */
class RuntimeProtocolTest {
    @TempDir
    Path work;

    private static final Map<String, String> CHAIN = Map.of(
            "demo/Outer.java", """
                    package demo;
                    import dev.weft.annotation.Async;
                    public class Outer {
                        @Async public static String run() {
                            return "outer(" + Middle.relay() + ")";
                        }
                        @Async public static String reflective() throws Exception {
                            Object r = Inner.class.getDeclaredMethod("leaf").invoke(null);
                            return "reflective(" + r + ")";
                        }
                    }
                    """,
            "demo/Middle.java", """
                    package demo;
                    import dev.weft.annotation.Async;
                    public class Middle {
                        @Async public static String relay() {
                            String s = Inner.leaf();
                            return "middle(" + s + ")";
                        }
                    }
                    """,
            "demo/Inner.java", """
                    package demo;
                    import dev.weft.annotation.Async;
                    import dev.weft.weaver.testing.Probe;
                    public class Inner {
                        @Async public static String leaf() {
                            Probe.point();
                            return "leaf";
                        }
                        @Async public static String fails() {
                            Probe.point();
                            throw new IllegalStateException("after resume");
                        }
                    }
                    """);

    /** Weaves every class of {@link #CHAIN} except those named. */
    private Path build(String... unwoven) throws Exception {
        Path plain = Javac.compileSources(CHAIN, work);
        Path woven = work.resolve("woven");
        Weaving.weaveTree(plain, woven);
        for (String name : unwoven) {
            Path rel = Path.of(name.replace('.', '/') + ".class");
            Files.copy(plain.resolve(rel), woven.resolve(rel), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return woven;
    }

    private static Continuation run(Path classes, String className, String method) throws Exception {
        Method m = Weaving.loader(classes).loadClass(className).getMethod(method);
        Continuation c = new Continuation(new ReflectiveEntry(m));
        while (c.run() == Continuation.Status.SUSPENDED) {
            // resume at once
        }
        return c;
    }

    @Test
    void suspendThroughUnwovenAsyncFrame_failsNamingThatFrame() throws Exception {
        Path classes = build("demo.Middle");
        Probe.use(Probe.Policy.ALWAYS, 0);
        Continuation c = run(classes, "demo.Outer", "run");
        UnwovenFrameError e = assertInstanceOf(UnwovenFrameError.class, c.failure());
        assertTrue(e.getMessage().contains("demo.Middle.relay(Middle.java:5)"), e.getMessage());
        assertTrue(e.getMessage().startsWith("demo.Inner.leaf tried to suspend"), e.getMessage());
        assertEquals(0, c.savedSlots(), "nothing left in the frame store");
    }

    @Test
    void unwovenFrameThatNeverSuspends_runsNormally() throws Exception {
        Path classes = build("demo.Middle");
        Probe.use(Probe.Policy.NEVER, 0);
        Continuation c = run(classes, "demo.Outer", "run");
        assertEquals("outer(middle(leaf))", c.result());
    }

    @Test
    void suspendReachedThroughReflectionFromWovenCode_failsNamingTheReflectiveCall() throws Exception {
        Path classes = build();
        Probe.use(Probe.Policy.ALWAYS, 0);
        Continuation c = run(classes, "demo.Outer", "reflective");
        Throwable failure = c.failure();
        assertInstanceOf(java.lang.reflect.InvocationTargetException.class, failure, "Outer's own reflective call");
        UnwovenFrameError e = assertInstanceOf(UnwovenFrameError.class, failure.getCause());
        assertTrue(e.getMessage().contains("does not call it as an @Async call site"), e.getMessage());
    }

    @Test
    void fullyWovenChain_suspendsAndResumes() throws Exception {
        Path classes = build();
        Probe.use(Probe.Policy.ALWAYS, 0);
        Continuation c = run(classes, "demo.Outer", "run");
        assertEquals("outer(middle(leaf))", c.result());
        assertEquals(1, c.suspensions());
    }

    @Test
    void stackTraceAfterResume_pointsAtTheOriginalSourceLines() throws Exception {
        Path classes = build();
        Probe.use(Probe.Policy.ALWAYS, 0);
        Continuation c = run(classes, "demo.Inner", "fails");
        assertEquals(1, c.suspensions());
        Throwable t = c.failure();
        assertNotNull(t);
        StackTraceElement top = t.getStackTrace()[0];
        assertEquals("demo.Inner", top.getClassName());
        assertEquals("fails", top.getMethodName());
        assertEquals(11, top.getLineNumber(), Arrays.toString(t.getStackTrace()));
    }

    @Test
    void suspendOutsideAnyContinuation_isAClearError() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                Continuation::suspend);
        assertTrue(e.getMessage().contains("runs no task"), e.getMessage());
    }
}
