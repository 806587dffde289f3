package dev.weft.bench;

import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveOptions;
import dev.weft.weaver.WeaveResult;
import dev.weft.weaver.Weaver;
import dev.weft.weaver.analysis.ClassFileLocator;
import dev.weft.weaver.analysis.ClassHierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.lang3.StringUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Weaver throughput on one thread: every class of a real jar (commons-lang3, from Maven
 * Central) woven in instrument-all mode, where every method is woven and every call is a
 * suspension point, so each class goes through the whole transformation and verification.
 *
 * <h2>What is measured</h2>
 * The class files are read into memory once; one operation weaves all of them. The primary
 * score is jars per second; the {@code classes} counter ({@link WeaveCounters}) is classes
 * per second.
 * <ul>
 *   <li>{@code freshHierarchy}: a new {@link ClassHierarchy} per jar, as one build-plugin
 *       run has: supertypes are read and parsed again (the jar's from memory, the JDK's
 *       from the platform class loader).
 *   <li>{@code warmHierarchy}: one hierarchy for the whole trial, every supertype already
 *       cached: the transformation alone.
 * </ul>
 * {@code verify=true} is {@link WeaveOptions#INSTRUMENT_ALL} (every woven class checked by
 * ASM's {@code CheckClassAdapter} and by the weaver's own type analysis before it is
 * returned); {@code verify=false} is the same mode without those checks, which shows what
 * they cost. A class the weaver refuses (a {@link WeaveException}) counts like the others;
 * setup prints how many were woven, left unchanged and refused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WeaveBenchmark {
    @Param({"true", "false"})
    boolean verify;

    private final Map<String, byte[]> byName = new HashMap<>();
    private final List<byte[]> classFiles = new ArrayList<>();
    private ClassFileLocator jar;
    private WeaveOptions options;
    private Weaver warm;

    /** Reads every class of the jar and weaves it once, printing what the weaver made of it. */
    @Setup(Level.Trial)
    public void readJar() throws IOException, URISyntaxException {
        Path path = Path.of(StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String version = "?";
        // From ~/.m2 the code source is commons-lang3's own jar; from benchmarks.jar it is the shaded
        // jar, which holds the same class files unchanged: take those under org/apache/commons/lang3/.
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.startsWith("org/apache/commons/lang3/") && name.endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        byte[] bytes = in.readAllBytes();
                        byName.put(name.substring(0, name.length() - ".class".length()), bytes);
                        classFiles.add(bytes);
                    }
                }
            }
            ZipEntry pom = zip.getEntry("META-INF/maven/org.apache.commons/commons-lang3/pom.properties");
            if (pom != null) {
                Properties p = new Properties();
                try (InputStream in = zip.getInputStream(pom)) {
                    p.load(in);
                }
                version = p.getProperty("version", "?");
            }
        }
        if (classFiles.isEmpty()) {
            throw new IllegalStateException("no org/apache/commons/lang3 classes in " + path);
        }
        jar = byName::get;
        options = new WeaveOptions(true, verify);
        warm = new Weaver(new ClassHierarchy(jar), options);
        Map<WeaveResult.Status, Integer> statuses = new EnumMap<>(WeaveResult.Status.class);
        int refused = 0;
        int methods = 0;
        for (byte[] b : classFiles) {
            try {
                WeaveResult r = warm.weave(b);
                statuses.merge(r.status(), 1, Integer::sum);
                methods += r.wovenMethods();
            } catch (WeaveException e) {
                refused++;
            }
        }
        System.out.println("[weft-bench] commons-lang3 " + version + ": " + classFiles.size() + " classes: "
                + statuses + ", " + refused + " refused, " + methods + " methods woven");
    }

    @Benchmark
    public long freshHierarchy(WeaveCounters counters) {
        return weaveAll(new Weaver(new ClassHierarchy(jar), options), counters);
    }

    @Benchmark
    public long warmHierarchy(WeaveCounters counters) {
        return weaveAll(warm, counters);
    }

    private long weaveAll(Weaver weaver, WeaveCounters counters) {
        long bytes = 0;
        for (byte[] b : classFiles) {
            try {
                bytes += weaver.weave(b).bytes().length;
            } catch (WeaveException e) {
                bytes -= 1;
            }
        }
        counters.classes += classFiles.size();
        return bytes;
    }
}
