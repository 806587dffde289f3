package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.samples.hello.Hello;
import dev.weft.samples.interleave.Interleave;
import dev.weft.samples.recursion.Recursion;
import dev.weft.samples.timeouts.Timeouts;
import dev.weft.testing.MockClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
