package dev.weft.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses which class files of a directory are woven, by Ant-style patterns over their paths
 * relative to the directory ({@code com/acme/Fetcher.class}).
 *
 * <p>A path is woven if it matches at least one include (every path, when there is none) and no
 * exclude. In a pattern, {@code **} matches any number of directories (including none),
 * {@code *} any part of one name, {@code ?} one character of a name; a pattern ending in
 * {@code /} means everything under that directory, as in Ant. Separators may be {@code /} or
 * {@code \}.
 *
 * {@snippet :
 * ClassFileFilter f = new ClassFileFilter(List.of("com/acme/**"), List.of("com/acme/legacy/"));
 * f.accepts("com/acme/net/Fetcher.class");     // true
 * f.accepts("com/acme/legacy/Fetcher.class");  // false
 * f.accepts("org/other/Foo.class");            // false
 * }
 *
 * <p>Classes left out are still read for the class hierarchy; they are only not rewritten.
 * Immutable and thread-safe.
 */
public final class ClassFileFilter {
    /** Weaves every class file. */
    public static final ClassFileFilter ALL = new ClassFileFilter(List.of(), List.of());

    private final List<String> includes;
    private final List<String> excludes;
    private final List<Pattern> includePatterns;
    private final List<Pattern> excludePatterns;

    /**
     * @param includes Ant-style patterns of the paths to weave; empty for all
     * @param excludes Ant-style patterns of the paths not to weave
     * @throws IllegalArgumentException if a pattern is blank
     */
    public ClassFileFilter(List<String> includes, List<String> excludes) {
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.includePatterns = compile(this.includes, "include");
        this.excludePatterns = compile(this.excludes, "exclude");
    }

    /**
     * Returns whether the class file at {@code relativePath} is to be woven.
     *
     * @param relativePath {@code /}-separated, relative to the classes directory
     * @return whether it is included and not excluded
     */
    public boolean accepts(String relativePath) {
        return (includePatterns.isEmpty() || matchesAny(includePatterns, relativePath))
                && !matchesAny(excludePatterns, relativePath);
    }

    /**
     * Returns a stable description of the patterns, so that a tool can tell whether they changed
     * since its last run.
     *
     * @return e.g. {@code includes=[com/acme/**] excludes=[]}
     */
    public String describe() {
        return "includes=" + includes + " excludes=" + excludes;
    }

    @Override
    public String toString() {
        return "ClassFileFilter[" + describe() + "]";
    }

    private static boolean matchesAny(List<Pattern> patterns, String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> compile(List<String> patterns, String what) {
        List<Pattern> out = new ArrayList<>();
        for (String p : patterns) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException(what + " pattern must not be blank, was '" + p + "' in " + patterns);
            }
            out.add(Pattern.compile(toRegex(p.trim())));
        }
        return out;
    }

    /**
     * Translates one Ant pattern: {@code **}{@code /} becomes "any directories, or none",
     * {@code /**} at the end "this directory and anything under it", any other {@code **}
     * "anything", {@code *} "anything but a separator", {@code ?} "one character but a separator".
     */
    static String toRegex(String antPattern) {
        String p = antPattern.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p + "**";
        }
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (p.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 3;
            } else if (p.startsWith("/**", i) && i + 3 == p.length()) {
                re.append("(?:/.*)?");
                i += 3;
            } else if (p.startsWith("**", i)) {
                re.append(".*");
                i += 2;
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }
}
