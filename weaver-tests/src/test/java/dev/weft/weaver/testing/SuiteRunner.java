package dev.weft.weaver.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
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
 * <p>Usage: {@code SuiteRunner <report file> <class path root> [<excluded class name pattern>...]};
 * the root (a directory or jar on the class path) holds the tests to run. With
 * {@code -Dweft.suite.probe=<class name>} the report also names where that class was loaded
 * from ({@code probe=<location>}), so the caller can check which jar was under test.
 */
public final class SuiteRunner {
    private SuiteRunner() {
    }

    /**
     * @param args the report file, the class path root whose tests are run, then class name patterns
     *     (regular expressions) to leave out
     * @throws Exception if the report cannot be written or the probe class cannot be found
     */
    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path root = Path.of(args[1]);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(root)));
        if (args.length > 2) {
            request.filters(ClassNameFilter.excludeClassNamePatterns(
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
        String probe = System.getProperty("weft.suite.probe");
        if (probe != null) {
            lines.add("probe=" + Path.of(Class.forName(probe, false, SuiteRunner.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
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
