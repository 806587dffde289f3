package dev.weft.agent;

import dev.weft.weaver.WeaveException;
import dev.weft.weaver.WeaveProblem;
import dev.weft.weaver.WeaveResult;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.Collectors;

/**
 * The class file transformer behind the agent: hands each candidate class to the
 * {@link dev.weft.weaver.Weaver} of its class loader, and returns the weaver's bytes exactly,
 * so a class woven at load time is byte for byte the class the Maven plugin writes against the
 * same class path.
 *
 * <h2>Which classes</h2>
 * Classes of the bootstrap and platform loaders, the JDK's packages and the agent's own are
 * never considered, nor those the {@link AgentOptions} leave out. Of the rest, only candidates
 * reach the weaver ({@link LoaderWeaving#isCandidate}): those whose constant pool mentions
 * {@code @Async} or names a class that declares or inherits an {@code @Async} method. That is
 * every class the weaver would rewrite or refuse, including a caller that mentions no
 * annotation (its callee's class is resolved through the hierarchy), an override of an
 * {@code @Async} method, and a class whose lambdas implement an {@code @Async} interface. Every
 * other class is returned untouched ({@code null}) after a scan of its constant pool.
 *
 * <h2>Class loaders</h2>
 * Each defining loader gets its own {@link LoaderWeaving}, whose hierarchy reads class files
 * through that loader's {@code getResourceAsStream}, so two loaders holding different versions
 * of a class each weave against their own. Entries are held weakly by loader.
 *
 * <h2>Failures</h2>
 * A transformer cannot fail a class load by throwing, so a refused class is reported through
 * the {@link WeaveListener} and, by default, replaced by a {@link RefusedClass} stub whose use
 * throws the problems; with {@code onError=warn} it is loaded unwoven.
 *
 * <p>The JVM never hands a transformer a class loaded on a thread that is already inside a
 * transformer ({@code java.lang.instrument} holds a re-entrancy token per thread). The weaver
 * loads no user class, and reads class files through {@code getResourceAsStream}, so only a
 * class loader whose {@code getResourceAsStream} itself loads classes could slip a class past
 * the agent this way; such a class loads as compiled, unreported.
 *
 * <p>Thread-safe: classes load on many threads at once.
 *
 * @implNote Every class outside the JDK costs one scan of its constant pool. The first time a
 *     loader meets a class name, the class file is read once through that loader to learn
 *     whether it is an async owner; JDK classes are never read.
 */
final class WeavingTransformer implements ClassFileTransformer {
    private final AgentOptions options;
    private final WeaveListener listener;
    /** Read and written by every loading thread, under its own lock. Invariant: one entry per defining loader seen. */
    private final Map<ClassLoader, LoaderWeaving> loaders = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param options which classes, and what to do on errors
     * @param listener where outcomes are reported
     */
    WeavingTransformer(AgentOptions options, WeaveListener listener) {
        this.options = options;
        this.listener = listener;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || className == null
                || !options.accepts(className)) {
            return null;
        }
        String binaryName = className.replace('/', '.');
        try {
            ConstantPoolSummary summary = ConstantPoolSummary.read(classfileBuffer);
            if (summary == null) {
                return null;
            }
            LoaderWeaving weaving = weavingFor(loader);
            if (!weaving.isCandidate(summary)) {
                return null;
            }
            return weave(weaving, binaryName, classfileBuffer);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            listener.onFailure(binaryName, e, options.onError() == AgentOptions.OnError.REFUSE);
            return refuse(binaryName, classfileBuffer, "the Weft agent failed while weaving it: " + e);
        }
    }

    /**
     * Returns the weaving state of {@code loader}, made on first use.
     *
     * @param loader a defining loader
     * @return its state
     */
    LoaderWeaving weavingFor(ClassLoader loader) {
        synchronized (loaders) {
            return loaders.computeIfAbsent(loader, LoaderWeaving::new);
        }
    }

    private byte[] weave(LoaderWeaving weaving, String binaryName, byte[] classFile) {
        WeaveResult r;
        try {
            r = weaving.weaver().weave(classFile);
        } catch (WeaveException e) {
            listener.onProblems(binaryName, e.problems(), options.onError() == AgentOptions.OnError.REFUSE);
            return refuse(binaryName, classFile, e.problems().stream().map(WeaveProblem::format)
                    .collect(Collectors.joining("\n")));
        }
        if (!r.warnings().isEmpty()) {
            listener.onWarnings(binaryName, r.warnings());
        }
        if (r.status() != WeaveResult.Status.WOVEN) {
            return null;
        }
        if (options.dump() != null) {
            dump(binaryName, r.bytes());
        }
        listener.onWoven(binaryName, r);
        return r.bytes();
    }

    private byte[] refuse(String binaryName, byte[] classFile, String problems) {
        if (options.onError() == AgentOptions.OnError.WARN) {
            return null;
        }
        return RefusedClass.stub(classFile, "[weft] " + binaryName + " was refused by the Weft agent, which cannot "
                + "weave it:\n" + problems + "\nFix the problems and recompile, or give the agent onError=warn to "
                + "load it unwoven.");
    }

    private void dump(String binaryName, byte[] bytes) {
        Path file = options.dump().resolve(binaryName.replace('.', '/') + ".class");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException | RuntimeException e) {
            listener.onDumpFailed(binaryName, file, e);
        }
    }
}
