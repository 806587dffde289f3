package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Weaves the {@code @Async} methods of {@code target/classes} in place, resolving the class
 * hierarchy from the compile class path. Bound to {@code process-classes} by default, so the
 * jar and the tests see woven classes. See the package documentation for the plugin declaration.
 */
@Mojo(name = "weave", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public final class WeaveMojo extends AbstractWeaveMojo {
    /** The directory woven in place. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File classesDirectory;

    /** The compile class path, which the hierarchy is read from. */
    @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true, required = true)
    private List<String> classpathElements;

    @Override
    File classesDirectory() {
        return classesDirectory;
    }

    @Override
    List<String> classPath() {
        return classpathElements;
    }

    @Override
    String goal() {
        return "weave";
    }
}
