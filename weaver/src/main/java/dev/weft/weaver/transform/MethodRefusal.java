package dev.weft.weaver.transform;

import dev.weft.weaver.ProblemKind;

/** Raised inside the transformation when one method cannot be woven; the caller turns it into a problem. */
public final class MethodRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public final ProblemKind kind;
    /** The source line, or -1. */
    public final int line;

    MethodRefusal(ProblemKind kind, int line, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.line = line;
    }
}
