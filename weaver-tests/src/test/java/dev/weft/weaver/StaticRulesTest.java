package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.weaver.testing.Javac;
import dev.weft.weaver.testing.Weaving;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static rules of {@code @Async}: each refusal names file, line, method and the fix, and every problem is reported. */
class StaticRulesTest {
    @TempDir
    Path work;

    private List<WeaveProblem> problemsOf(String className, Map<String, String> sources) {
        Path classes = Javac.compileSources(sources, work);
        Weaver weaver = Weaving.weaver(classes, WeaveOptions.DEFAULT);
        WeaveException e = assertThrows(WeaveException.class,
                () -> weaver.weave(Weaving.classBytes(classes, className)));
        return e.problems();
    }

    @Test
    void nonAsyncCaller_isRefusedAtTheCallLine_withTheFix() {
        List<WeaveProblem> p = problemsOf("demo.Fetcher", Map.of("demo/Fetcher.java", """
                package demo;
                import dev.weft.annotation.Async;
                public class Fetcher {
                    @Async String get(String path) { return path; }
                    String fetchAll() {
                        String a = "x";
                        return get(a);
                    }
                }
                """));
        assertEquals(1, p.size());
        WeaveProblem only = p.get(0);
        assertEquals(ProblemKind.NON_ASYNC_CALLER, only.kind());
        assertEquals("demo/Fetcher.java", only.file());
        assertEquals(7, only.line());
        assertEquals("fetchAll", only.methodName());
        assertEquals("Fetcher.java:7: Fetcher.fetchAll() calls @Async Fetcher.get(String) but is not @Async. "
                + "Fix: annotate fetchAll() with @Async, or start it with Weft.run(...).", only.format());
    }

    @Test
    void everyProblemOfAClass_isReported_notOnlyTheFirst() {
        List<WeaveProblem> p = problemsOf("demo.Many", Map.of("demo/Many.java", """
                package demo;
                import dev.weft.annotation.Async;
                public class Many {
                    @Async void io() { }
                    void a() { io(); }
                    void b() {
                        io();
                        io();
                    }
                    @Async synchronized void c() { io(); }
                }
                """));
        assertEquals(List.of(5, 7, 8, 10), p.stream().map(WeaveProblem::line).toList());
        assertEquals(List.of(ProblemKind.NON_ASYNC_CALLER, ProblemKind.NON_ASYNC_CALLER, ProblemKind.NON_ASYNC_CALLER,
                ProblemKind.MONITOR_HELD), p.stream().map(WeaveProblem::kind).toList());
    }

    @Test
    void lambdaOfNonAsyncInterface_callingAsync_isRefusedWithTheLoopFix() {
        List<WeaveProblem> p = problemsOf("demo.Crawl", Map.of("demo/Crawl.java", """
                package demo;
                import dev.weft.annotation.Async;
                import java.util.List;
                public class Crawl {
                    @Async void fetch(String url) { }
                    @Async void all(List<String> urls) {
                        urls.forEach(u ->
                            fetch(u));
                    }
                }
                """));
        assertEquals(1, p.size());
        assertEquals(ProblemKind.LAMBDA_NOT_ASYNC, p.get(0).kind());
        assertEquals(8, p.get(0).line());
        assertTrue(p.get(0).message().startsWith("a lambda in Crawl.all(List) implements Consumer.accept(Object), "
                + "which is not @Async, but calls @Async Crawl.fetch(String)"), p.get(0).message());
        assertTrue(p.get(0).message().contains("Fix: use a plain loop"), p.get(0).message());
    }

    @Test
    void asyncMethodReference_throughNonAsyncInterface_isRefused() {
        List<WeaveProblem> p = problemsOf("demo.Refs", Map.of("demo/Refs.java", """
                package demo;
                import dev.weft.annotation.Async;
                import java.util.List;
                public class Refs {
                    @Async void fetch(String url) { }
                    @Async void all(List<String> urls) {
                        urls.forEach(this::fetch);
                    }
                }
                """));
        assertEquals(1, p.size());
        assertEquals(ProblemKind.METHOD_REFERENCE_NOT_ASYNC, p.get(0).kind());
        assertEquals(7, p.get(0).line());
    }

    @Test
    void overrideThatDisagrees_isRefused_inBothDirections() {
        Map<String, String> sources = Map.of(
                "demo/Base.java", """
                        package demo;
                        import dev.weft.annotation.Async;
                        public class Base {
                            @Async public void run() { }
                            public void plain() { }
                        }
                        """,
                "demo/Impl.java", """
                        package demo;
                        import dev.weft.annotation.Async;
                        public class Impl extends Base {
                            @Override public void run() { }
                            @Async @Override public void plain() { }
                        }
                        """);
        List<WeaveProblem> p = problemsOf("demo.Impl", sources);
        assertEquals(2, p.size());
        assertEquals(ProblemKind.OVERRIDE_MISMATCH, p.get(0).kind());
        assertTrue(p.get(0).message().startsWith("Impl.run() is not @Async but overrides @Async Base.run()"),
                p.get(0).message());
        assertTrue(p.get(1).message().startsWith("Impl.plain() is @Async but overrides Base.plain(), which is not"),
                p.get(1).message());
    }

    @Test
    void asyncImplementationOfJdkInterface_isRefused() {
        List<WeaveProblem> p = problemsOf("demo.Job", Map.of("demo/Job.java", """
                package demo;
                import dev.weft.annotation.Async;
                public class Job implements Runnable {
                    @Async @Override public void run() { }
                }
                """));
        assertEquals(ProblemKind.OVERRIDE_MISMATCH, p.get(0).kind());
        assertTrue(p.get(0).message().contains("Runnable.run()"), p.get(0).message());
    }

    @Test
    void synchronizedBlockAroundAsyncCall_isRefusedWithLockAsTheAlternative() {
        List<WeaveProblem> p = problemsOf("demo.Sync", Map.of("demo/Sync.java", """
                package demo;
                import dev.weft.annotation.Async;
                public class Sync {
                    @Async void io() { }
                    @Async void guarded() {
                        io();
                        synchronized (this) {
                            io();
                        }
                        io();
                    }
                }
                """));
        assertEquals(1, p.size());
        assertEquals(ProblemKind.MONITOR_HELD, p.get(0).kind());
        assertEquals(8, p.get(0).line());
        assertTrue(p.get(0).message().contains("dev.weft.sync.Lock"), p.get(0).message());
    }

    @Test
    void constructorCallingAsync_isRefused() {
        List<WeaveProblem> p = problemsOf("demo.Ctor", Map.of("demo/Ctor.java", """
                package demo;
                import dev.weft.annotation.Async;
                public class Ctor {
                    static { boot(); }
                    @Async static void boot() { }
                    Ctor() {
                        boot();
                    }
                }
                """));
        assertEquals(List.of(7, 4), p.stream().map(WeaveProblem::line).sorted((a, b) -> b - a).toList());
        assertTrue(p.stream().allMatch(x -> x.message().contains("can never be @Async")), p.toString());
    }

    @Test
    void classFileNewerThanJava25_isRefusedWithTheRelease() throws Exception {
        Path classes = Javac.compileSources(Map.of("demo/New.java", "package demo; public class New { }"), work);
        byte[] bytes = Weaving.classBytes(classes, "demo.New");
        bytes[6] = 0;
        bytes[7] = 70;
        Weaver weaver = Weaving.weaver(classes, WeaveOptions.DEFAULT);
        WeaveException e = assertThrows(WeaveException.class, () -> weaver.weave(bytes));
        assertEquals(ProblemKind.CLASS_VERSION, e.problems().get(0).kind());
        assertEquals("New.class: class file version 70 (Java 26) is newer than this weaver reads (up to Java 25). "
                + "Fix: use a newer Weft, or compile with --release 25 or lower.", e.problems().get(0).format());
    }

    @Test
    void bytesThatAreNotAClassFile_areRefusedSayingSo() {
        Weaver weaver = Weaving.weaver(work, WeaveOptions.DEFAULT);
        WeaveException e = assertThrows(WeaveException.class, () -> weaver.weave("hello, world".getBytes()));
        assertEquals(ProblemKind.NOT_A_CLASS_FILE, e.problems().get(0).kind());
        WeaveException tiny = assertThrows(WeaveException.class, () -> weaver.weave(new byte[] {1}));
        assertEquals(ProblemKind.NOT_A_CLASS_FILE, tiny.problems().get(0).kind());
    }
}
