package dev.weft.weaver;

/** What kind of problem the weaver found; each kind has its own fix in the message. */
public enum ProblemKind {
    /** A method that is not {@code @Async} calls one that is. */
    NON_ASYNC_CALLER,
    /** A lambda whose functional interface method is not {@code @Async} calls async code. */
    LAMBDA_NOT_ASYNC,
    /** An {@code @Async} method is passed as a functional interface that is not async. */
    METHOD_REFERENCE_NOT_ASYNC,
    /** An override's async-ness differs from the method it overrides. */
    OVERRIDE_MISMATCH,
    /** An async call is made while a monitor is held. */
    MONITOR_HELD,
    /** {@code @Async} on a constructor, static initializer or native method. */
    ASYNC_NOT_ALLOWED,
    /** The input is not a class file. */
    NOT_A_CLASS_FILE,
    /** A class file newer than the weaver knows. */
    CLASS_VERSION,
    /** A class woven by another version of the weaving format. */
    WOVEN_BY_OTHER_VERSION,
    /** An object under construction would be live across a suspension in a shape the weaver cannot move. */
    UNINITIALIZED_ACROSS_CALL,
    /** The method's code could not be analysed. */
    ANALYSIS_FAILED,
    /** The woven method would exceed the JVM's 64 KiB code limit. */
    METHOD_TOO_LARGE,
    /** The woven class failed verification (a weaver bug: please report it). */
    VERIFY_FAILED,
    /** A warning: a class named at a call site could not be found, so the call is taken as not async. */
    UNRESOLVED_CLASS
}
