package dev.weft.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What the two weaving goals share: the parameters, and running a {@link DirectoryWeaver} over
 * one classes directory with the build's logging and failure conventions.
 *
 * <p>Every weave problem is logged as an error, {@code a/b/Fetcher.java:42: message. Fix: ...},
 * and listed again in the {@link MojoFailureException} that fails the build; warnings are
 * logged as warnings (as errors when {@code failOnWarning} makes them fatal). One summary line
 * follows: {@code woven 2 classes (3 methods, 5 suspension points), 1 already woven, 4 unchanged}.
 */
abstract class AbstractWeaveMojo extends AbstractMojo {
    /** Skips weaving altogether. */
    @Parameter(property = "weft.skip", defaultValue = "false")
    private boolean skip;

    /** Fails the build on weave warnings (an unresolvable class at an async call site), as on errors. */
    @Parameter(property = "weft.failOnWarning", defaultValue = "false")
    private boolean failOnWarning;

    /**
     * Ant-style patterns of the class files to weave, relative to the classes directory, such as
     * {@code com/acme/**}; every class file when empty. Classes left out are still read for the
     * class hierarchy.
     */
    @Parameter
    private List<String> includes = new ArrayList<>();

    /** Ant-style patterns of class files not to weave, relative to the classes directory. */
    @Parameter
    private List<String> excludes = new ArrayList<>();

    /** Where the state of the last weave is kept, so that an unchanged build does no work. */
    @Parameter(defaultValue = "${project.build.directory}/weft", readonly = true, required = true)
    private File stateDirectory;

    /** The execution's id, naming its state file. */
    @Parameter(defaultValue = "${mojoExecution.executionId}", readonly = true, required = true)
    private String executionId;

    /** @return the directory this goal weaves in place */
    abstract File classesDirectory();

    /** @return the class path whose classes the woven ones use, in order */
    abstract List<String> classPath();

    /** @return the goal's name, naming its state file */
    abstract String goal();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Weaving skipped (weft.skip is true)");
            return;
        }
        Path classes = classesDirectory().toPath();
        if (!Files.isDirectory(classes)) {
            getLog().info("Nothing to weave: " + classes + " does not exist");
            return;
        }
        ClassFileFilter filter;
        try {
            filter = new ClassFileFilter(includes == null ? List.of() : includes,
                    excludes == null ? List.of() : excludes);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Invalid <includes> or <excludes>: " + e.getMessage(), e);
        }
        List<Path> classPath = classPath().stream().map(Path::of).toList();
        Path state = stateDirectory.toPath().resolve(goal() + "-" + executionId + ".state");
        DirectoryOutcome o;
        try {
            o = new DirectoryWeaver(classes, classPath, state, filter, failOnWarning).weave();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot weave " + classes + ": " + e.getMessage(), e);
        }
        for (String w : o.warnings()) {
            if (failOnWarning) {
                getLog().error(w);
            } else {
                getLog().warn(w);
            }
        }
        o.errors().forEach(getLog()::error);
        getLog().info(o.summary());
        getLog().debug(o.classFilesRead() + " class files read");
        if (o.failed()) {
            throw new MojoFailureException(failureMessage(classes, o));
        }
    }

    private String failureMessage(Path classes, DirectoryOutcome o) {
        List<String> all = new ArrayList<>(o.errors());
        if (failOnWarning) {
            all.addAll(o.warnings());
        }
        int refused = o.tally().refusedClasses();
        StringBuilder b = new StringBuilder("Weft cannot weave ").append(refused)
                .append(refused == 1 ? " class" : " classes")
                .append(" of ").append(classes).append(" (").append(all.size())
                .append(all.size() == 1 ? " problem" : " problems").append("):");
        all.forEach(line -> b.append('\n').append(line));
        if (failOnWarning && !o.warnings().isEmpty()) {
            b.append("\nWarnings are fatal because failOnWarning (weft.failOnWarning) is set.");
        }
        return b.toString();
    }
}
