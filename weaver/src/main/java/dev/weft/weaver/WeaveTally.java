package dev.weft.weaver;

/**
 * The counts behind the one-line summary that every weaving tool prints (the {@code weft}
 * command line, the Maven plugin): {@code woven 12 classes (40 methods, 97 suspension points),
 * 3 already woven, 210 unchanged}.
 *
 * {@snippet :
 * WeaveTally tally = new WeaveTally();
 * for (byte[] classFile : classFiles) {
 *     try {
 *         tally.add(weaver.weave(classFile));
 *     } catch (WeaveException e) {
 *         tally.refuse(e.problems().size());
 *     }
 * }
 * log.info(tally.summary(false));
 * }
 *
 * <p>Not thread-safe: every field is written and read by the one thread running the tool.
 * Invariant: each class file considered is counted exactly once, as woven, already woven,
 * unchanged or refused.
 */
public final class WeaveTally {
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
    public void add(WeaveResult r) {
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
     * Counts a class that was not read again because a build tool knows its outcome from an
     * earlier run: it carries the marker, or it has nothing to weave.
     *
     * @param status {@link WeaveResult.Status#ALREADY_WOVEN} or {@link WeaveResult.Status#UNCHANGED}
     * @throws IllegalArgumentException if {@code status} is {@link WeaveResult.Status#WOVEN}, which
     *     only a weave that ran can report
     */
    public void addUnread(WeaveResult.Status status) {
        switch (status) {
            case ALREADY_WOVEN -> alreadyWoven++;
            case UNCHANGED -> unchanged++;
            case WOVEN -> throw new IllegalArgumentException("status must be ALREADY_WOVEN or UNCHANGED for a class "
                    + "that was not read, was WOVEN");
        }
    }

    /**
     * Counts a class the weaver refused.
     *
     * @param problemCount how many problems it had, at least one
     */
    public void refuse(int problemCount) {
        refusedClasses++;
        problems += problemCount;
    }

    /** Counts a warning that is not about one class (a signed jar, a path read twice). */
    public void warn() {
        warnings++;
    }

    /** @return how many problems were found; the tool fails if any */
    public int problems() {
        return problems;
    }

    /** @return how many class files were counted */
    public int classes() {
        return wovenClasses + alreadyWoven + unchanged + refusedClasses;
    }

    /** @return how many classes were rewritten */
    public int wovenClasses() {
        return wovenClasses;
    }

    /** @return how many methods of the rewritten classes were rewritten */
    public int wovenMethods() {
        return wovenMethods;
    }

    /** @return how many call sites became suspension points */
    public int suspensionPoints() {
        return suspensionPoints;
    }

    /** @return how many classes carried the marker already */
    public int alreadyWoven() {
        return alreadyWoven;
    }

    /** @return how many classes had nothing to weave */
    public int unchanged() {
        return unchanged;
    }

    /** @return how many classes the weaver refused */
    public int refusedClasses() {
        return refusedClasses;
    }

    /** @return how many warnings were counted */
    public int warnings() {
        return warnings;
    }

    /**
     * Returns the summary line.
     *
     * @param check whether nothing is written ({@code weft check}), which reads "would weave"
     * @return e.g. {@code woven 1 class (2 methods, 3 suspension points), 0 already woven, 4 unchanged,
     *     1 refused (2 problems, not written)}
     */
    public String summary(boolean check) {
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
