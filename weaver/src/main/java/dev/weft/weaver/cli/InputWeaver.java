package dev.weft.weaver.cli;

import dev.weft.weaver.AtomicFiles;
import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveProblem;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.WeaveTally;
import dev.weft.weaver.Weaver;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Weaves every class file of a list of inputs, class-path roots given as directories or
 * jars, reporting each problem and warning as it goes, then writes the results.
 *
 * <p>The work is done in two phases, so that nothing written can change what is read: first
 * {@link #weave(Path)} weaves every class of an input in memory against the one hierarchy of
 * the {@link Weaver}, keeping only the bytes of the classes it rewrote; after every input is
 * woven, {@link #write(InputOutcome, Path)} writes them. A class the weaver refuses is never
 * written.
 *
 * {@snippet :
 * InputWeaver w = new InputWeaver(weaver, out, err, false);
 * List<InputOutcome> outcomes = new ArrayList<>();
 * for (Path input : inputs) outcomes.add(w.weave(input));
 * for (InputOutcome o : outcomes) w.write(o, outDir);   // outDir null: directories in place
 * err.println(w.tally().summary(false));
 * }
 *
 * <h2>What is written</h2>
 * <ul>
 *   <li>A directory without an output directory: each woven class file is replaced in place,
 *       atomically where the file system allows; nothing else is touched.
 *   <li>A directory with an output directory: its whole tree is written under it, woven
 *       classes woven and every other file copied, refused classes left out. When two inputs
 *       hold the same path, the first one's is written, as a class path would find it.
 *   <li>A jar: a jar of the same name is written under the output directory, its entries in
 *       the same order, the woven classes replaced and every other entry copied byte for byte.
 *       If any class in it is refused, the jar is not written at all: a jar missing a class, or
 *       holding it unwoven, would fail only when run.
 * </ul>
 *
 * <p>Not thread-safe; one command uses one instance.
 */
final class InputWeaver {
    /** The signature files of a signed jar, which woven classes no longer match. */
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    private final Weaver weaver;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean verbose;
    private final WeaveTally tally = new WeaveTally();
    /** Every file written under the output directory so far, absolute and normalized; written only by {@link #write}. */
    private final Set<Path> written = new HashSet<>();

    /**
     * @param weaver the weaver, whose hierarchy includes the inputs
     * @param out where {@code --verbose} lines go
     * @param err where problems and warnings go
     * @param verbose whether to print a line per class and per file written
     */
    InputWeaver(Weaver weaver, PrintWriter out, PrintWriter err, boolean verbose) {
        this.weaver = weaver;
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }

    /** @return the counts so far */
    WeaveTally tally() {
        return tally;
    }

    // ---------------------------------------------------------------- checking the command line

    /**
     * Checks the inputs and the output directory before anything is read.
     *
     * @param cl the command, for its usage message
     * @param inputs the inputs as given
     * @param outDir the output directory, or null
     * @param writing whether the command writes ({@code weave}) or only reads ({@code check})
     * @throws ParameterException if an input is missing or neither a directory nor a jar; if a jar
     *     is to be written without an output directory; if the output directory is a file, lies
     *     inside an input directory, or would receive a jar over its own input or two jars of
     *     the same name
     */
    static void checkInputs(CommandLine cl, List<Path> inputs, Path outDir, boolean writing) {
        Map<Path, Path> jarTargets = new HashMap<>();
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new ParameterException(cl, "Invalid input '" + in + "': no such file or directory");
            }
            boolean jar = !Files.isDirectory(in);
            if (jar && !isZip(in)) {
                throw new ParameterException(cl, "Invalid input '" + in + "': neither a directory nor a jar. "
                        + (in.toString().endsWith(".class")
                        ? "Fix: pass the class-path root above its package folders (e.g. build/classes), not one "
                        + "class file."
                        : "Fix: pass a class-path root directory or a jar."));
            }
            if (!writing) {
                continue;
            }
            if (jar && outDir == null) {
                throw new ParameterException(cl, "Jar input '" + in + "' needs --out DIR: a jar is not rewritten in "
                        + "place. Fix: weft weave " + in + " --out DIR, which writes DIR/" + in.getFileName() + ".");
            }
            if (outDir == null) {
                continue;
            }
            Path absIn = in.toAbsolutePath().normalize();
            Path absOut = outDir.toAbsolutePath().normalize();
            if (!jar && absOut.startsWith(absIn) && !absOut.equals(absIn)) {
                throw new ParameterException(cl, "Invalid value for option '--out': '" + outDir + "' is inside input '"
                        + in + "', so a second run would weave its own output. Fix: choose a directory outside it.");
            }
            if (jar) {
                Path target = absOut.resolve(in.getFileName().toString());
                if (target.equals(absIn)) {
                    throw new ParameterException(cl, "Invalid value for option '--out': '" + outDir + "' would write "
                            + in.getFileName() + " over input '" + in + "'. Fix: choose another directory.");
                }
                Path other = jarTargets.put(target, in);
                if (other != null && !other.toAbsolutePath().normalize().equals(absIn)) {
                    throw new ParameterException(cl, "Inputs '" + other + "' and '" + in + "' would both be written to "
                            + outDir.resolve(in.getFileName().toString()) + ". Fix: weave them in two runs, each "
                            + "with its own --out.");
                }
            }
        }
        if (writing && outDir != null && Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new ParameterException(cl, "Invalid value for option '--out': '" + outDir
                    + "' is a file, not a directory");
        }
    }

    private static boolean isZip(Path p) {
        try {
            new ZipFile(p.toFile()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- phase one: weaving in memory

    /**
     * Weaves every class file of one input in memory, printing each problem and warning.
     *
     * @param input a directory or jar that {@link #checkInputs} accepted
     * @return what to write
     * @throws IOException if the input cannot be read, or the class path cannot be
     */
    InputOutcome weave(Path input) throws IOException {
        InputOutcome o = Files.isDirectory(input) ? weaveDirectory(input) : weaveJar(input);
        if (o.signed() && !o.woven().isEmpty()) {
            tally.warn();
            err.println(input.getFileName() + ": warning: the jar is signed, and its woven classes no longer match "
                    + "the signature, so the JVM will refuse to load them. Fix: weave before signing, or remove "
                    + "META-INF/*.SF and the signature blocks.");
        }
        return o;
    }

    private InputOutcome weaveDirectory(Path dir) throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace(File.separatorChar, '/'))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, byte[]> woven = new LinkedHashMap<>();
        Set<String> refused = new LinkedHashSet<>();
        int classes = 0;
        for (String f : files) {
            if (f.endsWith(".class")) {
                classes++;
                weaveOne(Files.readAllBytes(dir.resolve(f)), dir.resolve(f).toString(), f, woven, refused);
            }
        }
        noClassesWarning(dir, classes);
        return new InputOutcome(dir, false, files, woven, refused, false);
    }

    private InputOutcome weaveJar(Path jar) throws IOException {
        Map<String, byte[]> woven = new LinkedHashMap<>();
        Set<String> refused = new LinkedHashSet<>();
        boolean signed = false;
        int classes = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                signed |= SIGNATURE.matcher(e.getName()).matches();
                if (!e.isDirectory() && e.getName().endsWith(".class")) {
                    classes++;
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    }
                    weaveOne(bytes, jar + "!/" + e.getName(), e.getName(), woven, refused);
                }
            }
        }
        noClassesWarning(jar, classes);
        return new InputOutcome(jar, true, List.of(), woven, refused, signed);
    }

    private void noClassesWarning(Path input, int classes) {
        if (classes == 0) {
            tally.warn();
            err.println(input + ": warning: no class files in it. Fix: pass the directory javac wrote to (-d), or a "
                    + "jar of classes.");
        }
    }

    private void weaveOne(byte[] bytes, String where, String key, Map<String, byte[]> woven, Set<String> refused)
            throws IOException {
        if (!isClassFile(bytes)) {
            tally.refuse(1);
            refused.add(key);
            err.println(where + ": not a class file (it does not start with 0xCAFEBABE). Fix: remove it, or "
                    + "recompile its source.");
            return;
        }
        WeaveResult r;
        try {
            r = weaver.weave(bytes);
        } catch (WeaveException e) {
            tally.refuse(e.problems().size());
            refused.add(key);
            for (WeaveProblem p : e.problems()) {
                err.println(p.format());
            }
            if (verbose) {
                out.println("ERROR " + Weaver.classNameOf(bytes) + " (" + e.problems().size() + " problem"
                        + (e.problems().size() == 1 ? "" : "s") + ")");
            }
            return;
        } catch (UncheckedIOException e) {
            throw new IOException("cannot read the class path while weaving " + where, e.getCause());
        } catch (RuntimeException e) {
            tally.refuse(1);
            refused.add(key);
            err.println(where + ": the weaver failed on " + Weaver.classNameOf(bytes) + " with " + e
                    + ". If the class file is not corrupt, this is a weaver bug: please report it with the class "
                    + "file.");
            if (verbose) {
                e.printStackTrace(err);
            }
            return;
        }
        tally.add(r);
        for (WeaveProblem w : r.warnings()) {
            err.println(w.format());
        }
        if (r.status() == WeaveResult.Status.WOVEN) {
            woven.put(key, r.bytes());
        }
        if (verbose) {
            out.println(r.status() + " " + r.className() + (r.status() == WeaveResult.Status.WOVEN
                    ? " (" + r.wovenMethods() + " method" + (r.wovenMethods() == 1 ? "" : "s") + ", "
                    + r.suspensionPoints() + " suspension point" + (r.suspensionPoints() == 1 ? "" : "s") + ")"
                    : ""));
        }
    }

    private static boolean isClassFile(byte[] bytes) {
        return bytes.length >= 10 && (bytes[0] & 0xFF) == 0xCA && (bytes[1] & 0xFF) == 0xFE
                && (bytes[2] & 0xFF) == 0xBA && (bytes[3] & 0xFF) == 0xBE;
    }

    // ---------------------------------------------------------------- phase two: writing

    /**
     * Writes what weaving one input gave, as the class Javadoc says.
     *
     * @param o the outcome of {@link #weave(Path)}
     * @param outDir the output directory, or null to write a directory input in place
     * @throws IOException if a file cannot be written
     */
    void write(InputOutcome o, Path outDir) throws IOException {
        if (o.jar()) {
            writeJar(o, outDir);
        } else if (outDir == null) {
            for (Map.Entry<String, byte[]> e : o.woven().entrySet()) {
                AtomicFiles.write(o.input().resolve(e.getKey()), e.getValue());
            }
            if (verbose) {
                out.println("wrote " + o.woven().size() + " woven class" + (o.woven().size() == 1 ? "" : "es")
                        + " in place under " + o.input());
            }
        } else {
            writeTree(o, outDir);
        }
    }

    private void writeTree(InputOutcome o, Path outDir) throws IOException {
        int count = 0;
        for (String f : o.files()) {
            if (o.refused().contains(f)) {
                continue;
            }
            Path target = outDir.resolve(f);
            if (!written.add(target.toAbsolutePath().normalize())) {
                tally.warn();
                err.println(o.input().resolve(f) + ": warning: not written, because an earlier input already wrote "
                        + target + " (the first on a class path wins).");
                continue;
            }
            createDirectories(target.getParent());
            byte[] woven = o.woven().get(f);
            try {
                if (woven != null) {
                    AtomicFiles.write(target, woven);
                } else {
                    Files.copy(o.input().resolve(f), target, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            } catch (IOException e) {
                throw new IOException("cannot write " + target, e);
            }
            count++;
        }
        if (verbose) {
            out.println("wrote " + count + " file" + (count == 1 ? "" : "s") + " of " + o.input() + " under " + outDir
                    + " (" + o.woven().size() + " woven)");
        }
    }

    private void writeJar(InputOutcome o, Path outDir) throws IOException {
        Path target = outDir.resolve(o.input().getFileName().toString());
        if (!o.refused().isEmpty()) {
            err.println(o.input() + ": not written to " + target + ", because " + o.refused().size() + " of its classes "
                    + (o.refused().size() == 1 ? "was" : "were") + " refused.");
            return;
        }
        createDirectories(outDir);
        written.add(target.toAbsolutePath().normalize());
        Path tmp = AtomicFiles.temporaryBeside(target);
        try {
            try (ZipFile zip = new ZipFile(o.input().toFile());
                 OutputStream os = Files.newOutputStream(tmp);
                 ZipOutputStream zout = new ZipOutputStream(os)) {
                if (zip.getComment() != null) {
                    zout.setComment(zip.getComment());
                }
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    byte[] bytes = o.woven().get(e.getName());
                    if (bytes == null) {
                        try (InputStream in = zip.getInputStream(e)) {
                            bytes = in.readAllBytes();
                        }
                    }
                    zout.putNextEntry(entryLike(e, bytes));
                    zout.write(bytes);
                    zout.closeEntry();
                }
            } catch (ZipException e) {
                throw new IOException("cannot copy " + o.input() + " to " + target, e);
            }
            AtomicFiles.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (verbose) {
            out.println("wrote " + target + " (" + o.woven().size() + " woven class"
                    + (o.woven().size() == 1 ? "" : "es") + ")");
        }
    }

    /** A new entry for {@code bytes} with the name, time, comment, extra field and method of {@code e}. */
    private static ZipEntry entryLike(ZipEntry e, byte[] bytes) {
        ZipEntry n = new ZipEntry(e.getName());
        n.setTime(e.getTime());
        if (e.getComment() != null) {
            n.setComment(e.getComment());
        }
        if (e.getExtra() != null) {
            n.setExtra(e.getExtra());
        }
        if (e.getMethod() == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            n.setMethod(ZipEntry.STORED);
            n.setSize(bytes.length);
            n.setCompressedSize(bytes.length);
            n.setCrc(crc.getValue());
        }
        return n;
    }

    private static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the output directory " + dir, e);
        }
    }
}
