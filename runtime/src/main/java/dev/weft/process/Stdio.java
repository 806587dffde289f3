package dev.weft.process;

/** Where one of a child process's standard streams goes; see {@link ProcessOptions}. */
public enum Stdio {
    /**
     * A pipe to this process: with {@link Processes#open} a Weft stream
     * ({@link WeftProcess#stdin()}, {@link WeftProcess#stdout()}, {@link WeftProcess#stderr()});
     * with {@link Processes#run} the input bytes are fed to it, or the output is captured.
     */
    PIPE,
    /** The JVM's own stream: the child reads the JVM's stdin, or writes where the JVM writes. */
    INHERIT,
    /** Nothing: the child reads an empty input, or its output is thrown away. */
    DISCARD
}
