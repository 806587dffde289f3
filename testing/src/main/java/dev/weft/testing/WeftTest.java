package dev.weft.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an {@code @Async} JUnit 5 test method that runs inside {@code Weft.run}: pytest-trio
 * for JUnit.
 * {@snippet :
 * @WeftTest
 * @Async
 * void sleep_advancesVirtualTime(MockClock clock) {
 *     clock.autojumpThreshold(0);
 *     Weft.sleep(Duration.ofHours(1));
 *     assertEquals(3600, Weft.currentTime());
 * }
 * }
 * The method may take a {@link MockClock} parameter, which becomes the run's clock (without
 * one, the run uses the system clock). The test class must be woven (the Maven plugin's
 * {@code weave-tests} goal, or the agent); an unwoven one fails with a message saying so.
 *
 * <p>A test whose run does not end within {@link #timeoutSeconds()} of real time is
 * interrupted: its tasks are cancelled, and it fails with the task tree as it was, each task
 * with the line it was blocked at.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@ExtendWith(WeftTestExtension.class)
public @interface WeftTest {

    /**
     * How long the run may take, in real seconds, before the test fails as hung.
     *
     * @return the timeout
     */
    double timeoutSeconds() default 30;

    /**
     * The scheduling seed, or {@link Long#MIN_VALUE} (the default) for a random one; a
     * failing test reports the seed it ran with.
     *
     * @return the seed
     */
    long seed() default Long.MIN_VALUE;
}
