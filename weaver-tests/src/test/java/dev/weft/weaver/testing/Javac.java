package dev.weft.weaver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles test sources with the running JDK's javac, or with the JDK 25 beside it. */
public final class Javac {
    private Javac() {
    }

    /** @return the JDK 25 home if this machine has one, else null */
    public static Path jdk25() {
        String home = System.getProperty("weft.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
        Path p = Path.of(home);
        return Files.isExecutable(p.resolve("bin/javac")) ? p : null;
    }

    /**
     * Compiles every {@code .java} file under {@code sourceRoot} into {@code out}.
     *
     * @param jdkHome null for the running JDK (in process), else a JDK whose javac is run
     * @param release the {@code --release} value
     */
    public static void compileTree(Path jdkHome, int release, Path sourceRoot, Path out) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        compile(jdkHome, release, files, out);
    }

    /** Compiles sources given as text ({@code name -> source}, name like {@code a/b/C.java}). */
    public static Path compileSources(Map<String, String> sources, Path work) {
        try {
            Path src = work.resolve("src");
            Path out = work.resolve("classes");
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            compile(null, 17, files, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(Path jdkHome, int release, List<String> files, Path out) {
        try {
            Files.createDirectories(out);
            List<String> args = new ArrayList<>(List.of("--release", String.valueOf(release), "-g", "-d",
                    out.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none"));
            args.addAll(files);
            if (jdkHome == null) {
                JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                int rc = javac.run(null, null, null, args.toArray(new String[0]));
                if (rc != 0) {
                    throw new IllegalStateException("javac failed with " + rc + " on " + files);
                }
                return;
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(jdkHome.resolve("bin/javac").toString());
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("JDK 25 javac failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
