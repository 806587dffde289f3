package dev.weft.agent;

import dev.weft.weaver.WeaveProblem;
import dev.weft.weaver.WeaveResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reports to a stream, one greppable line per event, each starting with {@code [weft]} and
 * the kind, then the class's binary name:
 *
 * <pre>
 * [weft] WOVEN a.b.Foo (3 methods)                         (only when verbose)
 * [weft] WARNING a.b.Foo Foo.java:7: warning: ...
 * [weft] ERROR a.b.Bar Bar.java:12: Bar.run() calls @Async Foo.get() but is not @Async. Fix: ...
 * [weft] UNWOVEN a.b.Bar loaded as compiled (onError=warn); ...  (after its errors, with onError=warn)
 * </pre>
 *
 * A failure of the weaver itself is one {@code ERROR} line followed by its stack trace.
 * Thread-safe: each report is written under the stream's lock, so lines of two classes
 * loading at once do not interleave.
 */
final class StreamWritingListener implements WeaveListener {
    private final PrintStream out;
    private final boolean verbose;

    /**
     * @param out where the lines go, usually {@link System#err}
     * @param verbose whether to print a line for each class woven
     */
    StreamWritingListener(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void onWoven(String className, WeaveResult result) {
        if (verbose) {
            int n = result.wovenMethods();
            out.println("[weft] WOVEN " + className + " (" + n + (n == 1 ? " method)" : " methods)"));
        }
    }

    @Override
    public void onWarnings(String className, List<WeaveProblem> warnings) {
        synchronized (out) {
            for (WeaveProblem w : warnings) {
                out.println("[weft] WARNING " + className + " " + w.format());
            }
        }
    }

    @Override
    public void onProblems(String className, List<WeaveProblem> problems, boolean refused) {
        synchronized (out) {
            for (WeaveProblem p : problems) {
                out.println("[weft] ERROR " + className + " " + p.format());
            }
            if (!refused) {
                out.println(unwoven(className));
            }
        }
    }

    @Override
    public void onFailure(String className, Throwable failure, boolean refused) {
        synchronized (out) {
            out.println("[weft] ERROR " + className + " the weaver failed on it: " + failure
                    + ". If its class file is not corrupt, this is a Weft bug: please report it with the class file.");
            failure.printStackTrace(out);
            if (!refused) {
                out.println(unwoven(className));
            }
        }
    }

    @Override
    public void onDumpFailed(String className, Path file, Exception failure) {
        out.println("[weft] WARNING " + className + " cannot be dumped to " + file + ": " + failure);
    }

    private static String unwoven(String className) {
        return "[weft] UNWOVEN " + className + " loaded as compiled (onError=warn); its async calls will fail if "
                + "they suspend";
    }
}
