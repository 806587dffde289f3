package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.samples.crawler.Crawler;
import dev.weft.samples.hello.Hello;
import dev.weft.samples.interleave.Interleave;
import dev.weft.samples.pipeline.Pipeline;
import dev.weft.samples.recursion.Recursion;
import dev.weft.samples.timeouts.Timeouts;
import dev.weft.testing.MockClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The samples run woven (the build weaves them) and print what the tour promises. */
class SamplesTest {
    private static List<String> output(java.util.function.Consumer<PrintStream> sample) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sample.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().map(String::strip).toList();
    }

    private static List<String> withMockClock(ThrowingSample sample) {
        return output(out -> {
            try {
                sample.run(out, new MockClock().autojumpThreshold(0));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    interface ThrowingSample {
        void run(PrintStream out, MockClock clock) throws Exception;
    }

    @Test
    void hello_printsTheSeedLinesInOrderAndTakesOneSecond() {
        List<String> lines = withMockClock((out, clock) -> new Hello(out).run(Weft.runner().clock(clock)));
        assertEquals(List.of(
                "main: started",
                "child1: started! Sleeping for 1 seconds.",
                "child2: started! Sleeping for 1 seconds.",
                "child1: exiting!",
                "child2: exiting!",
                "main: all children exited after 1.0 seconds"), lines);
    }

    @Test
    void timeouts_scopesFireAtTheirDeadlinesAndShieldLetsCleanupFinish() {
        List<String> lines = withMockClock((out, clock) -> new Timeouts(out).run(Weft.runner().clock(clock)));
        String all = String.join("\n", lines);
        assertTrue(lines.contains("download: step 2 done at 1.0s"), all);
        assertTrue(!all.contains("download: step 3"), all);
        assertTrue(lines.contains("moved on at 1.2s; cancelledCaught = true"), all);
        assertTrue(all.contains("caught TooSlowException"), all);
        assertTrue(lines.contains("inner gave up at 2.5s; the outer block carries on"), all);
        assertTrue(lines.contains("outer: step 1 done at 3.0s"), all);
        assertTrue(lines.contains("cleanup: step 1 done at 3.8s"), all);
        assertTrue(lines.contains("all done at 3.8s"), all);
    }

    @Test
    void interleave_tasksTakeTurnsAtEachSuspensionPoint() {
        List<String> lines = output(out -> new Interleave(out).run());
        assertEquals(List.of(
                "ant says 1", "bee says 1", "cat says 1",
                "ant says 2", "bee says 2", "cat says 2",
                "ant says 3", "bee says 3", "cat says 3",
                "ant is done", "bee is done", "cat is done"), lines);
    }

    @Test
    void recursion_suspendsDeepAndResumesWithTheRightSum() {
        List<String> lines = output(out -> new Recursion(out).run());
        assertTrue(lines.get(0).startsWith("after the first step the task is SUSPENDED, with "), lines.get(0));
        assertEquals("after the second step it is DONE: sum(5000) = 12502500 (expected 12502500)", lines.get(1));
    }

    @Test
    void pipeline_twelveJobsThroughThreeWorkers_collectorGetsEachOnceAndStagesEndInTurn() {
        List<String> lines = withMockClock((out, clock) -> new Pipeline(out).run(Weft.runner().clock(clock)));
        String all = String.join("\n", lines);
        List<String> squared = lines.stream().filter(l -> l.contains(" squared ")).toList();
        assertEquals(12, squared.size(), all);
        Set<String> jobs = squared.stream().map(l -> l.substring(l.indexOf(" squared ") + 9, l.indexOf(" = ")))
                .collect(Collectors.toSet());
        assertEquals(12, jobs.size(), "each job squared exactly once:\n" + all);
        for (int w = 1; w <= 3; w++) {
            assertTrue(all.contains("worker-" + w + ": no more jobs, closed its ends"), all);
        }
        assertTrue(lines.contains("0.7s producer: sent 12 jobs; its end closes as it returns"), all);
        // Shorter jobs free their worker sooner, so the split is uneven: whoever is free takes the next job.
        assertEquals("0.9s collector: 12 results, sum of squares 650 (expected 650); jobs per worker "
                + "{worker-1=4, worker-2=3, worker-3=5}", lines.get(lines.size() - 2), all);
        assertEquals("0.9s main: the nursery is closed, every stage has ended", lines.get(lines.size() - 1), all);
    }

    @Test
    void crawler_fakeSite_everyPageOnceWithinTheLimitsAndTheSlowPageTimesOut() {
        List<String> lines = withMockClock((out, clock) -> new Crawler(out).run(Weft.runner().clock(clock)));
        String all = String.join("\n", lines);
        List<String> fetched = lines.stream().filter(l -> l.contains(" fetched, ")).toList();
        assertEquals(11, fetched.size(), all);
        assertEquals(11, fetched.stream().map(l -> l.split("\\s+")[1]).distinct().count(), "each page once:\n" + all);
        assertTrue(all.contains("/slow                timed out after 1000 ms"), all);
        assertTrue(lines.contains("0.5s the site allows 5 connections now; 3 waiting tasks got tokens at once"), all);
        assertTrue(lines.contains("1.4s reporter: 12 reports; every crawl task has closed its end"), all);
        assertEquals("1.4s crawled 12 pages; at most 3 fetches at once before the raise, 4 after",
                lines.get(lines.size() - 1), all);
    }
}
