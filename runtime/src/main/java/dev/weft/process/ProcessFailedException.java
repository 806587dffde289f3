package dev.weft.process;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Thrown by {@link Processes#run} when the child exits with a non-zero code and the options
 * {@linkplain ProcessOptions#check(boolean) check} it (the default): Python's
 * {@code CalledProcessError}. Carries the exit code and whatever output was captured.
 */
public class ProcessFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 500;

    private final transient ProcessResult result;

    /**
     * Creates the exception.
     *
     * @param result the failed run
     */
    public ProcessFailedException(ProcessResult result) {
        super(describe(result));
        this.result = result;
    }

    private static String describe(ProcessResult r) {
        StringBuilder b = new StringBuilder("command ").append(r.command()).append(" exited with code ")
                .append(r.exitCode());
        if (r.stderr().length > 0) {
            String err = new String(r.stderr(), StandardCharsets.UTF_8).strip();
            b.append("; stderr: ").append(err.length() > SHOWN ? err.substring(0, SHOWN) + "..." : err);
        }
        return b.toString();
    }

    /** Returns the child's exit code. @return the code, never 0 */
    public int exitCode() {
        return result.exitCode();
    }

    /** Returns the command. @return the command and its arguments */
    public List<String> command() {
        return result.command();
    }

    /** Returns the captured standard output (empty if not captured). @return the bytes */
    public byte[] stdout() {
        return result.stdout();
    }

    /** Returns the captured standard error (empty if not captured). @return the bytes */
    public byte[] stderr() {
        return result.stderr();
    }

    /** Returns the whole result. @return the result */
    public ProcessResult result() {
        return result;
    }
}
