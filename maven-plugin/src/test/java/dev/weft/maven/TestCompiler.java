package dev.weft.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/** Compiles test sources with the running JDK's javac, against the test class path. */
final class TestCompiler {
    private TestCompiler() {
    }

    /**
     * Compiles {@code sources} ({@code a/b/C.java -> text}) into {@code out}, with {@code extra}
     * on the class path before the test class path.
     */
    static void compile(Map<String, String> sources, Path src, Path out, Path... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--release", "17", "-g", "-proc:none", "-d", out.toString()));
        StringBuilder cp = new StringBuilder();
        for (Path p : extra) {
            cp.append(p).append(File.pathSeparator);
        }
        args.addAll(List.of("-cp", cp + System.getProperty("java.class.path")));
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
    }
}
