package dev.weft.weaver;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when the weaver refuses a class. Carries every problem found in it, not only the
 * first; its message lists them one per line.
 */
public final class WeaveException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The problems; serializable as records of strings. */
    private final List<WeaveProblem> problems;

    /**
     * @param className the class refused, binary name
     * @param problems at least one problem
     */
    public WeaveException(String className, List<WeaveProblem> problems) {
        super("cannot weave " + className + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "):\n" + problems.stream().map(WeaveProblem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found, in the order of the class file */
    public List<WeaveProblem> problems() {
        return problems;
    }
}
