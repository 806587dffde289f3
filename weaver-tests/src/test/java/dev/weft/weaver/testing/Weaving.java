package dev.weft.weaver.testing;

import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Weaves test classes the way the build will: against the test class path, never loading them. */
public final class Weaving {
    private Weaving() {
    }

    /** @return a weaver whose hierarchy is {@code classes} plus the test class path */
    public static Weaver weaver(Path classes, WeaveOptions options) {
        List<Path> cp = new ArrayList<>();
        cp.add(classes);
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Path.of(e));
        }
        return new Weaver(new ClassHierarchy(ClassFileLocator.ofPath(cp)), options);
    }

    /** Weaves every class under {@code in} into the same tree under {@code out}. @return classes woven */
    public static int weaveTree(Path in, Path out) throws WeaveException {
        Weaver weaver = weaver(in, WeaveOptions.DEFAULT);
        int woven = 0;
        for (Path f : classFiles(in)) {
            WeaveResult r = weaver.weave(read(f));
            Path target = out.resolve(in.relativize(f));
            try {
                Files.createDirectories(target.getParent());
                Files.write(target, r.bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (r.status() == WeaveResult.Status.WOVEN) {
                woven++;
            }
        }
        return woven;
    }

    /** @return the bytes of {@code a.b.C} under {@code classes} */
    public static byte[] classBytes(Path classes, String binaryName) {
        return read(classes.resolve(binaryName.replace('.', '/') + ".class"));
    }

    /** @return every class file under {@code dir} */
    public static List<Path> classFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a loader for {@code dir} whose parent is the test class path */
    public static URLClassLoader loader(Path dir) {
        try {
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, Weaving.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
