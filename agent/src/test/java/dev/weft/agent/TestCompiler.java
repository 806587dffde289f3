package dev.weft.agent;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/** Compiles test sources with the running JDK's javac, and loads them in fresh class loaders. */
final class TestCompiler {
    private TestCompiler() {
    }

    /**
     * Compiles {@code sources} ({@code a/b/C.java -> text}) into {@code out}, against {@code out}
     * and the test class path.
     *
     * @return {@code out}
     */
    static Path compile(Map<String, String> sources, Path src, Path out) throws IOException {
        List<String> args = new ArrayList<>(List.of("--release", "17", "-g", "-proc:none", "-d", out.toString(),
                "-cp", out + File.pathSeparator + System.getProperty("java.class.path")));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        Files.createDirectories(out);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]));
        if (rc != 0) {
            throw new IllegalStateException("javac failed with exit code " + rc + " on " + sources.keySet()
                    + " (its messages are on the standard error)");
        }
        return out;
    }

    /** @return a new loader for {@code dir} whose parent is the test class path, so the runtime is shared */
    static URLClassLoader loader(Path dir) {
        try {
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, TestCompiler.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + dir, e);
        }
    }
}
