package dev.weft.maven;

import dev.weft.weaver.AtomicFiles;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.WeaveProblem;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.WeaveTally;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Weaves a classes directory in place, the job of the plugin's goals, with no dependency on
 * Maven: every class file the filter accepts is woven against the hierarchy of the directory
 * and its class path, and the woven ones replace the originals.
 *
 * {@snippet :
 * DirectoryWeaver w = new DirectoryWeaver(Path.of("target/classes"), compileClassPath,
 *         Path.of("target/weft/weave-default.state"), ClassFileFilter.ALL, false);
 * DirectoryOutcome o = w.weave();
 * o.errors().forEach(log::error);
 * log.info(o.summary());
 * }
 *
 * <h2>What is written</h2>
 * Weaving happens in two phases, so that nothing written can change what is read: every class
 * is woven in memory first, then the woven ones are written, each atomically. A class the
 * weaver refuses is left as it is and reported; so is a class with warnings when warnings are
 * fatal. Already woven classes (they carry the {@code dev.weft.internal.Woven} marker) are left
 * alone, which makes a second weave of the same directory a no-op.
 *
 * <h2>Incremental builds</h2>
 * After each run a state file records the {@link ClassPathFingerprint} of the class path, the
 * classes the filter leaves out and the settings, and the size and modification time of every
 * class woven or found to have nothing to weave. The next run compares:
 * <ul>
 *   <li>same fingerprint and every class file as recorded: nothing is read, nothing written
 *       ({@link DirectoryOutcome#upToDate()});
 *   <li>same fingerprint, some class files added, changed or removed: the changed and new
 *       ones are woven, and so are the recorded ones that had nothing to weave, since a changed
 *       class may have made their calls async; recorded woven ones are skipped;
 *   <li>another fingerprint, or no usable state: every class is woven (the woven ones come
 *       back as already woven).
 * </ul>
 * Refused classes are never recorded, so a build that failed fails again until they change.
 *
 * <p>Not thread-safe; one instance serves one run of one goal.
 */
public final class DirectoryWeaver {
    private final Path classes;
    private final List<Path> classPath;
    private final Path stateFile;
    private final ClassFileFilter filter;
    private final boolean failOnWarning;

    /**
     * @param classes the directory to weave in place
     * @param classPath the rest of the class path, to resolve the hierarchy: jars and directories,
     *     in order; {@code classes} itself may appear in it and is then ignored there
     * @param stateFile where the state of the last run is kept (its directory is created)
     * @param filter which class files to weave
     * @param failOnWarning whether a class with warnings is refused as if they were errors
     */
    public DirectoryWeaver(Path classes, List<Path> classPath, Path stateFile, ClassFileFilter filter,
                           boolean failOnWarning) {
        this.classes = classes;
        Path self = classes.toAbsolutePath().normalize();
        this.classPath = classPath.stream().filter(p -> !p.toAbsolutePath().normalize().equals(self)).toList();
        this.stateFile = stateFile;
        this.filter = filter;
        this.failOnWarning = failOnWarning;
    }

    /**
     * Weaves the directory as the class Javadoc says.
     *
     * @return what was done; {@link DirectoryOutcome#failed()} says whether the build must fail
     * @throws IOException if a file cannot be read or written, or the class path cannot be read
     */
    public DirectoryOutcome weave() throws IOException {
        WeaveTally tally = new WeaveTally();
        if (!Files.isDirectory(classes)) {
            return new DirectoryOutcome(tally, List.of(), List.of(), false, false, 0);
        }
        Map<String, String> included = new TreeMap<>();
        StringBuilder salt = new StringBuilder("weaving-format " + Weaver.FORMAT_VERSION + " " + filter.describe()
                + " failOnWarning=" + failOnWarning + "\n");
        for (String rel : classFiles()) {
            String stat = ClassPathFingerprint.stat(classes.resolve(rel));
            if (filter.accepts(rel)) {
                included.put(rel, stat);
            } else {
                salt.append("left out ").append(rel).append(' ').append(stat).append('\n');
            }
        }
        String fingerprint = ClassPathFingerprint.of(classPath, salt.toString());
        Optional<WeaveState> last = WeaveState.read(stateFile).filter(s -> s.fingerprint().equals(fingerprint));

        Map<String, WeaveState.Known> recorded = new HashMap<>();
        List<String> toWeave;
        if (last.isPresent()) {
            if (unchangedSince(last.get(), included)) {
                last.get().classes().values().forEach(k -> tally.addUnread(k.status()));
                return new DirectoryOutcome(tally, List.of(), List.of(), false, true, 0);
            }
            toWeave = changedOrNotWoven(last.get(), included, tally, recorded);
        } else {
            toWeave = new ArrayList<>(included.keySet());
        }

        int[] reads = {0};
        Weaver weaver = weaverCounting(reads);
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, byte[]> woven = new LinkedHashMap<>();
        for (String rel : toWeave) {
            byte[] bytes = Files.readAllBytes(classes.resolve(rel));
            reads[0]++;
            Optional<WeaveResult> r = weaveOne(weaver, rel, bytes, tally, errors, warnings);
            if (r.isEmpty()) {
                continue;
            }
            if (r.get().status() == WeaveResult.Status.WOVEN) {
                woven.put(rel, r.get().bytes());
            } else {
                recorded.put(rel, new WeaveState.Known(included.get(rel), r.get().status()));
            }
        }
        for (Map.Entry<String, byte[]> e : woven.entrySet()) {
            Path target = classes.resolve(e.getKey());
            AtomicFiles.write(target, e.getValue());
            recorded.put(e.getKey(), new WeaveState.Known(ClassPathFingerprint.stat(target),
                    WeaveResult.Status.ALREADY_WOVEN));
        }
        new WeaveState(fingerprint, recorded).write(stateFile);
        boolean failed = !errors.isEmpty() || failOnWarning && !warnings.isEmpty();
        return new DirectoryOutcome(tally, errors, warnings, failed, false, reads[0]);
    }

    private static boolean unchangedSince(WeaveState last, Map<String, String> included) {
        Map<String, WeaveState.Known> known = last.classes();
        if (!known.keySet().equals(included.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> e : included.entrySet()) {
            if (!known.get(e.getKey()).stat().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the classes to weave again after some changed: all but those recorded as woven and
     * unchanged, which are counted and recorded as they were.
     */
    private static List<String> changedOrNotWoven(WeaveState last, Map<String, String> included, WeaveTally tally,
                                                  Map<String, WeaveState.Known> recorded) {
        List<String> toWeave = new ArrayList<>();
        for (Map.Entry<String, String> e : included.entrySet()) {
            WeaveState.Known k = last.classes().get(e.getKey());
            if (k != null && k.stat().equals(e.getValue()) && k.status() == WeaveResult.Status.ALREADY_WOVEN) {
                tally.addUnread(WeaveResult.Status.ALREADY_WOVEN);
                recorded.put(e.getKey(), k);
            } else {
                toWeave.add(e.getKey());
            }
        }
        return toWeave;
    }

    /** A weaver over the directory then the class path, counting in {@code reads[0]} the class files it reads. */
    private Weaver weaverCounting(int[] reads) throws IOException {
        ClassFileLocator path;
        try {
            path = ClassFileLocator.ofPath(concat(classes, classPath));
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
        ClassFileLocator counting = name -> {
            byte[] b = path.find(name);
            if (b != null) {
                reads[0]++;
            }
            return b;
        };
        return new Weaver(new ClassHierarchy(counting), WeaveOptions.DEFAULT);
    }

    /** Weaves one class, reporting into the lists; empty if it is refused. */
    private Optional<WeaveResult> weaveOne(Weaver weaver, String rel, byte[] bytes, WeaveTally tally,
                                           List<String> errors, List<String> warnings) throws IOException {
        if (!isClassFile(bytes)) {
            tally.refuse(1);
            errors.add(rel + ": not a class file (it does not start with 0xCAFEBABE). Fix: remove it from "
                    + classes + ", or recompile its source.");
            return Optional.empty();
        }
        WeaveResult r;
        try {
            r = weaver.weave(bytes);
        } catch (WeaveException e) {
            tally.refuse(e.problems().size());
            e.problems().forEach(p -> errors.add(format(p)));
            return Optional.empty();
        } catch (UncheckedIOException e) {
            throw new IOException("cannot read the class path while weaving " + classes.resolve(rel), e.getCause());
        } catch (RuntimeException e) {
            tally.refuse(1);
            errors.add(rel + ": the weaver failed on " + Weaver.classNameOf(bytes) + " with " + e + ". If the class "
                    + "file is not corrupt, this is a Weft bug: please report it with the class file.");
            return Optional.empty();
        }
        r.warnings().forEach(p -> warnings.add(format(p)));
        if (failOnWarning && !r.warnings().isEmpty()) {
            tally.refuse(r.warnings().size());
            return Optional.empty();
        }
        tally.add(r);
        return Optional.of(r);
    }

    /**
     * Formats a problem as {@code a/b/Fetcher.java:42: message}: the file relative to its source
     * root, which build logs and IDEs resolve against the source directories.
     *
     * @param p the problem
     * @return the line
     */
    static String format(WeaveProblem p) {
        return p.file() + (p.line() > 0 ? ":" + p.line() : "") + ": " + (p.warning() ? "warning: " : "") + p.message();
    }

    private List<String> classFiles() throws IOException {
        try (Stream<Path> s = Files.walk(classes)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".class") && Files.isRegularFile(p))
                    .map(p -> classes.relativize(p).toString().replace(File.separatorChar, '/'))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static boolean isClassFile(byte[] bytes) {
        return bytes.length >= 10 && (bytes[0] & 0xFF) == 0xCA && (bytes[1] & 0xFF) == 0xFE
                && (bytes[2] & 0xFF) == 0xBA && (bytes[3] & 0xFF) == 0xBE;
    }
}
