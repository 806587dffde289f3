package dev.weft.agent;

import dev.weft.weaver.WeaveProblem;
import dev.weft.weaver.WeaveResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What the agent reports as it weaves. A class file transformer cannot report by throwing (the
 * JVM swallows what a transformer throws and loads the class unchanged), so every outcome
 * worth knowing goes through a listener.
 *
 * <p>Internal: its types come from the weaver, which the agent jar relocates. Implementations
 * must be thread-safe: classes load on many threads at once.
 */
interface WeaveListener {
    /**
     * A class was woven.
     *
     * @param className binary name
     * @param result what the weaver did
     */
    void onWoven(String className, WeaveResult result);

    /**
     * The weaver accepted a class with warnings.
     *
     * @param className binary name
     * @param warnings at least one
     */
    void onWarnings(String className, List<WeaveProblem> warnings);

    /**
     * The weaver refused a class.
     *
     * @param className binary name
     * @param problems at least one
     * @param refused true if the class is loaded as a stub that throws them, false if it is
     *     loaded unwoven ({@code onError=warn})
     */
    void onProblems(String className, List<WeaveProblem> problems, boolean refused);

    /**
     * Weaving a class failed for a reason other than its code: the weaver crashed, or the
     * class path could not be read.
     *
     * @param className binary name
     * @param failure what was thrown
     * @param refused as for {@link #onProblems}
     */
    void onFailure(String className, Throwable failure, boolean refused);

    /**
     * A woven class could not be written to the dump directory; it is loaded all the same.
     *
     * @param className binary name
     * @param file where it was to be written
     * @param failure why it could not be
     */
    void onDumpFailed(String className, Path file, Exception failure);
}
