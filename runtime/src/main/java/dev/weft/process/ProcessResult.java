package dev.weft.process;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@link Processes#run} returns: the exit code, and the output it captured.
 *
 * @param command the command that ran
 * @param exitCode the child's exit code (128 + the signal number if a signal ended it, as a
 *     shell reports it)
 * @param stdout the captured standard output, or an empty array if it was not captured
 * @param stderr the captured standard error, or an empty array if it was not captured
 */
public record ProcessResult(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {

    /** Copies the command. */
    public ProcessResult {
        command = List.copyOf(command);
    }

    /** Returns the captured standard output as UTF-8 text. @return the text */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Returns the captured standard error as UTF-8 text. @return the text */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ProcessResult[" + command + " exited with " + exitCode + ", " + stdout.length + " bytes of stdout, "
                + stderr.length + " bytes of stderr]";
    }
}
