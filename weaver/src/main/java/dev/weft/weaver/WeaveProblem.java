package dev.weft.weaver;

/**
 * One problem the weaver found, with the fields a build tool needs to point at it.
 *
 * @param kind what went wrong
 * @param file the source file as a path relative to a source root ({@code a/b/Fetcher.java}),
 *     or the class file's name when the class has no SourceFile attribute
 * @param line the source line, or -1 when unknown
 * @param className the class, binary name ({@code a.b.Fetcher})
 * @param methodName the method, or null for a problem of the whole class
 * @param descriptor the method descriptor, or null
 * @param message what is wrong and the fix, without the location
 * @param warning whether this is a warning rather than an error
 */
public record WeaveProblem(ProblemKind kind, String file, int line, String className, String methodName,
                           String descriptor, String message, boolean warning) {

    /**
     * Returns the problem in the form {@code Fetcher.java:42: message}, with the file name
     * only; build tools that know the source root print {@link #file()} in full.
     *
     * @return the one-line report
     */
    public String format() {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return (line > 0 ? name + ":" + line : name) + ": " + (warning ? "warning: " : "") + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
