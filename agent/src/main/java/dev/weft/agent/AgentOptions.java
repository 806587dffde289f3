package dev.weft.agent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's options, parsed from the text after {@code =} in
 * {@code -javaagent:weft-agent.jar=OPTIONS}: comma-separated, each a flag or {@code key=value}.
 *
 * <ul>
 *   <li>{@code verbose}: print {@code [weft] WOVEN a.b.Foo (3 methods)} for each class woven.
 *   <li>{@code include=PREFIXES}: weave only classes whose binary name starts with one of the
 *       prefixes, separated by {@code :} ({@code include=com.acme.:org.example.app.}); may repeat.
 *       Without it every class is considered. Write a package prefix with its trailing dot, or
 *       {@code com.acme} also matches {@code com.acmex.Foo}.
 *   <li>{@code exclude=PREFIXES}: never weave classes whose binary name starts with one of the
 *       prefixes; wins over {@code include}; may repeat.
 *   <li>{@code dump=DIR}: write each woven class file under {@code DIR}, as {@code DIR/a/b/Foo.class}.
 *   <li>{@code onError=refuse} (the default): a class the weaver refuses is loaded as a stub whose
 *       every use throws a {@link LinkageError} carrying the weave problems;
 *       {@code onError=warn}: it is loaded unwoven, after the problems are reported.
 * </ul>
 *
 * {@snippet :
 * java -javaagent:weft-agent.jar=verbose,include=com.acme.,dump=build/woven -jar app.jar
 * }
 *
 * <p>Whatever the options, the JDK's own classes ({@code java.}, {@code javax.}, {@code jdk.},
 * {@code sun.}, {@code com.sun.}) and the agent's own are never woven.
 *
 * @param verbose whether to report every class woven
 * @param includes binary-name prefixes to weave; empty for all
 * @param excludes binary-name prefixes never to weave
 * @param dump where to write woven class files, or null
 * @param onError what to do with a class the weaver refuses
 */
record AgentOptions(boolean verbose, List<String> includes, List<String> excludes, Path dump, OnError onError) {
    /** Every class considered, nothing printed but problems, refused classes refused. */
    static final AgentOptions DEFAULT = new AgentOptions(false, List.of(), List.of(), null, OnError.REFUSE);

    private static final String USAGE = "expected a comma-separated list of verbose, include=<prefixes>, "
            + "exclude=<prefixes>, dump=<folder>, onError=refuse|warn";

    /** Internal-name prefixes of the JDK's classes, which never declare {@code @Async} and are never woven. */
    private static final List<String> JDK = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/");

    /** Internal-name prefixes of the agent's own classes and libraries (all under dev/weft/agent/ once shaded). */
    private static final List<String> OWN = List.of("dev/weft/agent/", "dev/weft/weaver/", "org/objectweb/asm/",
            "net/bytebuddy/");

    /** What the agent does with a class the weaver refuses. */
    enum OnError {
        /** Load a stub that throws the weave problems on every use. */
        REFUSE,
        /** Report the problems and load the class unwoven. */
        WARN
    }

    AgentOptions {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
    }

    /**
     * Parses an options string.
     *
     * @param text the text after {@code =} in {@code -javaagent:}, or null or blank for the defaults
     * @return the options
     * @throws IllegalArgumentException naming the option and the text, if an option is unknown,
     *     lacks its value, or has an invalid one
     */
    static AgentOptions parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        boolean verbose = false;
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        Path dump = null;
        OnError onError = OnError.REFUSE;
        for (String option : text.split(",")) {
            String o = option.trim();
            if (o.isEmpty()) {
                continue;
            }
            int eq = o.indexOf('=');
            String key = eq < 0 ? o : o.substring(0, eq);
            String value = eq < 0 ? null : o.substring(eq + 1);
            switch (key) {
                case "verbose" -> {
                    noValue(key, value, text);
                    verbose = true;
                }
                case "include" -> includes.addAll(prefixes(key, value, text));
                case "exclude" -> excludes.addAll(prefixes(key, value, text));
                case "dump" -> {
                    try {
                        dump = Path.of(required(key, value, text));
                    } catch (InvalidPathException e) {
                        throw new IllegalArgumentException("Weft agent option dump=" + value + " in '" + text
                                + "' is not a path: " + e.getReason(), e);
                    }
                }
                case "onError" -> onError = switch (required(key, value, text)) {
                    case "refuse" -> OnError.REFUSE;
                    case "warn" -> OnError.WARN;
                    default -> throw new IllegalArgumentException("Weft agent option onError=" + value + " in '"
                            + text + "' must be refuse or warn");
                };
                default -> throw new IllegalArgumentException("unknown Weft agent option '" + key + "' in '" + text
                        + "': " + USAGE);
            }
        }
        return new AgentOptions(verbose, includes, excludes, dump, onError);
    }

    /**
     * Returns whether the class may be woven: not the JDK's or the agent's own, included, and not
     * excluded.
     *
     * @param internalName e.g. {@code a/b/C}
     * @return whether to consider it
     */
    boolean accepts(String internalName) {
        if (isJdkClass(internalName) || startsWithAny(internalName, OWN)) {
            return false;
        }
        String binary = internalName.replace('/', '.');
        return (includes.isEmpty() || startsWithAny(binary, includes)) && !startsWithAny(binary, excludes);
    }

    /**
     * Returns whether a class belongs to the JDK, whose classes never declare {@code @Async} and
     * are never woven.
     *
     * @param internalName e.g. {@code java/lang/Object}
     * @return whether it is under {@code java/}, {@code javax/}, {@code jdk/}, {@code sun/} or {@code com/sun/}
     */
    static boolean isJdkClass(String internalName) {
        return startsWithAny(internalName, JDK);
    }

    private static boolean startsWithAny(String s, List<String> prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> prefixes(String key, String value, String text) {
        List<String> out = new ArrayList<>();
        for (String p : required(key, value, text).split(":")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("Weft agent option " + key + "= in '" + text + "' names no prefix: "
                    + "give one or more binary-name prefixes separated by ':', e.g. " + key
                    + "=com.acme.:org.example.");
        }
        return out;
    }

    private static String required(String key, String value, String text) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Weft agent option '" + key + "' in '" + text + "' needs a value: "
                    + USAGE);
        }
        return value.trim();
    }

    private static void noValue(String key, String value, String text) {
        if (value != null) {
            throw new IllegalArgumentException("Weft agent option '" + key + "' in '" + text + "' takes no value, was '"
                    + value + "'");
        }
    }
}
