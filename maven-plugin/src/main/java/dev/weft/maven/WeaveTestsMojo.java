package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Weaves the {@code @Async} methods of {@code target/test-classes} in place, resolving the
 * class hierarchy from the test class path (which holds {@code target/classes}). Bound to
 * {@code process-test-classes} by default, so the tests run woven.
 */
@Mojo(name = "weave-tests", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES,
        requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
public final class WeaveTestsMojo extends AbstractWeaveMojo {
    /** The directory woven in place. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
    private File testClassesDirectory;

    /** The test class path, which the hierarchy is read from. */
    @Parameter(defaultValue = "${project.testClasspathElements}", readonly = true, required = true)
    private List<String> testClasspathElements;

    @Override
    File classesDirectory() {
        return testClassesDirectory;
    }

    @Override
    List<String> classPath() {
        return testClasspathElements;
    }

    @Override
    String goal() {
        return "weave-tests";
    }
}
