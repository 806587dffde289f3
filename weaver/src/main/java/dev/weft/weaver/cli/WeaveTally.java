package dev.weft.weaver.cli;

import dev.weft.weaver.WeaveResult;

/**
 * The counts behind the summary line of {@code weft weave} and {@code weft check}:
 * {@code woven 12 classes (40 methods, 97 suspension points), 3 already woven, 210 unchanged}.
 *
 * <p>Not thread-safe: every field is written and read by the one thread running the command.
 * Invariant: each class file read is counted exactly once, as woven, already woven,
 * unchanged or refused.
 */
final class WeaveTally {
    private int wovenClasses;
    private int wovenMethods;
    private int suspensionPoints;
    private int alreadyWoven;
    private int unchanged;
    private int refusedClasses;
    private int problems;
    private int warnings;

    /**
     * Counts a class the weaver accepted, and its warnings.
     *
     * @param r the outcome
     */
    void add(WeaveResult r) {
        switch (r.status()) {
            case WOVEN -> {
                wovenClasses++;
                wovenMethods += r.wovenMethods();
                suspensionPoints += r.suspensionPoints();
            }
            case ALREADY_WOVEN -> alreadyWoven++;
            case UNCHANGED -> unchanged++;
        }
        warnings += r.warnings().size();
    }

    /**
     * Counts a class the weaver refused.
     *
     * @param problemCount how many problems it had, at least one
     */
    void refuse(int problemCount) {
        refusedClasses++;
        problems += problemCount;
    }

    /** Counts a warning that is not about one class (a signed jar, a path read twice). */
    void warn() {
        warnings++;
    }

    /** @return how many problems were found; the command fails if any */
    int problems() {
        return problems;
    }

    /** @return how many class files were read */
    int classes() {
        return wovenClasses + alreadyWoven + unchanged + refusedClasses;
    }

    /**
     * Returns the summary line.
     *
     * @param check whether nothing is written ({@code weft check}), which reads "would weave"
     * @return e.g. {@code woven 1 class (2 methods, 3 suspension points), 0 already woven, 4 unchanged,
     *     1 refused (2 problems)}
     */
    String summary(boolean check) {
        StringBuilder b = new StringBuilder(check ? "would weave " : "woven ")
                .append(count(wovenClasses, "class", "classes"))
                .append(" (").append(count(wovenMethods, "method", "methods")).append(", ")
                .append(count(suspensionPoints, "suspension point", "suspension points")).append("), ")
                .append(alreadyWoven).append(" already woven, ")
                .append(unchanged).append(" unchanged");
        if (refusedClasses > 0) {
            b.append(", ").append(refusedClasses).append(" refused (").append(count(problems, "problem", "problems"))
                    .append(check ? ")" : ", not written)");
        }
        if (warnings > 0) {
            b.append(", ").append(count(warnings, "warning", "warnings"));
        }
        return b.toString();
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
