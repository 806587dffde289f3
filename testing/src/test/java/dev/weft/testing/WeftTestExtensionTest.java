package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs fixture classes through the JUnit engine to see what {@link WeftTest} reports. */
class WeftTestExtensionTest {

    /** Fixtures: run only through {@link EngineTestKit} (Surefire skips nested classes). */
    static class Fixtures {
        @WeftTest(timeoutSeconds = 0.5)
        @Async
        void hangs() {
            Weft.sleepForever();
        }

        @WeftTest
        @Async
        void passesWithVirtualTime(MockClock clock) {
            clock.autojumpThreshold(0);
            Weft.sleep(Duration.ofDays(1));
            assertEquals(86_400.0, Weft.currentTime());
        }

        @WeftTest(seed = 7)
        @Async
        void failsWithSeed() {
            Weft.checkpoint();
            throw new IllegalStateException("expected failure");
        }
    }

    private static Events run() {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(Fixtures.class)).execute().testEvents();
    }

    @Test
    void weftTest_hangingRun_failsWithTheTaskTree() {
        Events events = run();
        Throwable failure = failureOf(events, "hangs");
        assertTrue(failure.getMessage().contains("did not finish within 0.5 s of real time"), failure.getMessage());
        assertTrue(failure.getMessage().contains("WeftTestExtensionTest$Fixtures.hangs(WeftTestExtensionTest.java:"),
                failure.getMessage());
    }

    @Test
    void weftTest_mockClockParameter_isTheRunsClock() {
        Events events = run();
        assertEquals(1, events.succeeded().filter(e -> name(e).equals("passesWithVirtualTime")).count());
    }

    @Test
    void weftTest_failure_carriesTheSeed() {
        Throwable failure = failureOf(run(), "failsWithSeed");
        assertEquals("expected failure", failure.getMessage());
        assertTrue(List.of(failure.getSuppressed()).stream().anyMatch(s -> s.getMessage().contains("seed 7")),
                "seed attached");
    }

    private static Throwable failureOf(Events events, String method) {
        return events.failed().stream().filter(e -> name(e).equals(method)).findFirst()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class))
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .orElseThrow(() -> new AssertionError(method + " did not fail"));
    }

    private static String name(Event e) {
        return e.getTestDescriptor().getDisplayName().replaceAll("\\(.*", "");
    }
}
