package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Ctrl+C, for real: a child JVM gets SIGINT while its run sleeps, and unwinds every task. */
class SigintTest {

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void sigint_duringRun_cancelsEveryTaskAndRunThrowsRunInterruptedException() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SigintMain.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.equals("ready")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child exited");
        assertEquals(3, p.exitValue(), String.join("\n", lines));
        assertTrue(lines.containsAll(List.of("a cancelled: INTERRUPT", "a finally", "b cancelled: INTERRUPT",
                "b finally")), String.join("\n", lines));
        assertTrue(lines.get(lines.size() - 1).startsWith("run threw RunInterruptedException: the run was "
                + "interrupted (SIGINT)"), String.join("\n", lines));
    }
}
