package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.samples.interleave.Interleave;
import dev.weft.samples.recursion.Recursion;
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
