package dev.weft.weaver.cli;

import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import java.io.File;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every weaving command shares, {@code --classpath} and {@code --all}, and the
 * {@link Weaver} they describe.
 *
 * <p>The weaver's class hierarchy is read, in order, from the command's own inputs, then the
 * {@code --classpath} entries, then the JDK. It only needs class files: the supertypes of each
 * woven class, and the classes named at its call sites, to know which calls are
 * {@code @Async}. A class it cannot find makes its calls count as not async, with a warning.
 *
 * {@snippet :
 * @Mixin WeaverMixin weaving;
 * ...
 * Weaver weaver = weaving.weaver(weaving.locator(inputs));
 * }
 */
final class WeaverMixin {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = {"-cp", "--classpath", "--class-path"}, paramLabel = "PATHS",
            description = "Where the weaver reads the classes the inputs use: directories and jars, separated by '"
                    + "${sys:path.separator}' (repeatable). The inputs themselves are always on it.")
    private List<String> classPath = new ArrayList<>();

    @Option(names = "--all",
            description = "Instrument-all test mode: treat every method as async and every call as a suspension "
                    + "point, skipping the @Async rules; calls that cannot be made resumable are left plain.")
    private boolean all;

    /**
     * Returns the {@code --classpath} entries, each {@code PATHS} split at the platform's path
     * separator. Entries that do not exist are dropped with a warning, as {@code javac}
     * does; the JVM ignores them too.
     *
     * @param err where the warnings go
     * @return the entries, in order
     * @throws ParameterException if an entry is not a valid path
     */
    List<Path> classPath(PrintWriter err) {
        List<Path> entries = new ArrayList<>();
        for (String paths : classPath) {
            for (String e : paths.split(File.pathSeparator)) {
                if (e.isEmpty()) {
                    continue;
                }
                Path p;
                try {
                    p = Path.of(e);
                } catch (InvalidPathException ex) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--classpath': '"
                            + e + "' is not a path (" + ex.getReason() + ")");
                }
                if (Files.exists(p)) {
                    entries.add(p);
                } else {
                    err.println("warning: class-path entry " + p + " does not exist; ignored");
                }
            }
        }
        return entries;
    }

    /** @return whether {@code --classpath} was given, even if none of its entries exists */
    boolean hasClassPath() {
        return !classPath.isEmpty();
    }

    /** @return whether {@code --all} was given */
    boolean instrumentAll() {
        return all;
    }

    /**
     * Returns a locator over {@code inputs}, then the {@code --classpath} entries.
     *
     * @param inputs the command's own class-path roots, searched first
     * @param err where warnings about the class path go
     * @return the locator; the jars it opens stay open until the process ends
     * @throws ParameterException if a class-path entry is a file that is not a jar
     */
    ClassFileLocator locator(List<Path> inputs, PrintWriter err) {
        List<Path> path = new ArrayList<>(inputs);
        path.addAll(classPath(err));
        try {
            return ClassFileLocator.ofPath(path);
        } catch (UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--classpath': "
                    + WeftCli.describe(e) + "; an entry must be a directory or a jar");
        }
    }

    /**
     * Returns a weaver in the mode the options say, reading its hierarchy through
     * {@code locator} and then the JDK.
     *
     * @param locator where class files are found
     * @return the weaver
     */
    Weaver weaver(ClassFileLocator locator) {
        return new Weaver(new ClassHierarchy(locator), all ? WeaveOptions.INSTRUMENT_ALL : WeaveOptions.DEFAULT);
    }
}
