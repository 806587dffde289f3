package dev.weft.weaver;

import java.util.List;

/**
 * The outcome of weaving one class file.
 *
 * @param className binary name
 * @param status what happened
 * @param bytes the class file to write: the woven one, or the input unchanged
 * @param wovenMethods how many methods were rewritten
 * @param suspensionPoints how many call sites became suspension points
 * @param warnings problems that did not stop the weave
 * @param methods what was done to each woven method, in class-file order
 */
public record WeaveResult(String className, Status status, byte[] bytes, int wovenMethods, int suspensionPoints,
                          List<WeaveProblem> warnings, List<WovenMethod> methods) {

    /** What the weaver did with a class. */
    public enum Status {
        /** Rewritten. */
        WOVEN,
        /** Nothing in it is async; returned as it was. */
        UNCHANGED,
        /** Carries the marker of this weaving format already (or is hand-written); returned as it was. */
        ALREADY_WOVEN
    }
}
