package dev.weft.maven;

import dev.weft.weaver.WeaveTally;
import java.util.List;

/**
 * What {@link DirectoryWeaver#weave()} did to one classes directory.
 *
 * @param tally the counts for the summary line; classes skipped as unchanged since the last
 *     run are counted by what that run found (already woven, or unchanged)
 * @param errors one line per problem, {@code a/b/Fetcher.java:42: message. Fix: ...}, the path
 *     relative to the source root (or {@code a/b/Fetcher.class} when the class file does not
 *     name its source), in the order of the class files
 * @param warnings one line per warning, in the same form with {@code warning: } before the message
 * @param failed whether the build must fail: there are errors, or warnings were made fatal
 * @param upToDate whether nothing changed since the last run, so no class file was read
 * @param classFilesRead how many class files were read, to weave or to resolve the hierarchy
 *     (the JDK's own classes not counted)
 */
public record DirectoryOutcome(WeaveTally tally, List<String> errors, List<String> warnings, boolean failed,
                               boolean upToDate, int classFilesRead) {
    /**
     * @param tally the counts
     * @param errors the error lines
     * @param warnings the warning lines
     * @param failed whether the build must fail
     * @param upToDate whether nothing was read
     * @param classFilesRead how many class files were read
     */
    public DirectoryOutcome {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /**
     * Returns the summary line, {@code woven 2 classes (3 methods, 5 suspension points), 1 already
     * woven, 4 unchanged}, saying so when the directory was up to date.
     *
     * @return the line to log
     */
    public String summary() {
        return tally.summary(false) + (upToDate ? "; nothing changed since the last weave" : "");
    }
}
