package dev.weft.weaver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a library's published test suite on the JUnit Platform, in a JVM of its own, and
 * writes what happened as lines of {@code key=value} and {@code FAILED<tab><unique id><tab><cause>} that
 * {@code InstrumentAllTest} compares between the original and the woven library.
 *
 * <p>Usage: {@code SuiteRunner <report file> <tests jar> [<excluded class name pattern>...]}.
 */
public final class SuiteRunner {
    private SuiteRunner() {
    }

    /**
     * @param args the report file, the jar whose tests are run, then class name patterns
     *     (regular expressions) to leave out
     * @throws IOException if the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path report = Path.of(args[0]);
        Path testsJar = Path.of(args[1]);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(testsJar)));
        if (args.length > 2) {
            request.filters(org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns(
                    List.of(args).subList(2, args.length).toArray(new String[0])));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Set<String> failed = new TreeSet<>();
        TestExecutionListener failures = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failed.add(id.getUniqueId() + "\t" + result.getThrowable().map(Throwable::toString).orElse(""));
                }
            }
        };
        launcher.execute(discovery, summary, failures);
        TestExecutionSummary s = summary.getSummary();
        List<String> lines = new ArrayList<>();
        lines.add("found=" + s.getTestsFoundCount());
        lines.add("started=" + s.getTestsStartedCount());
        lines.add("succeeded=" + s.getTestsSucceededCount());
        lines.add("failed=" + s.getTestsFailedCount());
        lines.add("aborted=" + s.getTestsAbortedCount());
        lines.add("skipped=" + s.getTestsSkippedCount());
        lines.add("containersFailed=" + s.getContainersFailedCount());
        for (String f : failed) {
            lines.add("FAILED\t" + f.replace('\n', ' '));
        }
        Files.write(report, lines);
        System.exit(0);
    }
}
