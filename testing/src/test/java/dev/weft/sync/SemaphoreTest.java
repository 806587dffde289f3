package dev.weft.sync;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Semaphore}, bounded and not. Ported from python-trio/trio
 * {@code src/trio/_tests/test_sync.py} ({@code test_Semaphore}, {@code test_Semaphore_bounded}).
 */
class SemaphoreTest {

    @Test
    void constructor_badValues_throwIllegalArgumentWithTheValue() {
        assertEquals("initialValue must be >= 0, was -1", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new Semaphore(-1)).getMessage());
        assertEquals("maxValue must be >= initialValue (2), was 1", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new Semaphore(2, 1)).getMessage());
    }

    @WeftTest
    @Async
    void acquireAndRelease_eachStep_valueAndStatisticsFollow() {
        Semaphore s = new Semaphore(1);
        assertEquals(1, s.value());
        assertEquals(Integer.MAX_VALUE, s.maxValue());
        s.release();
        assertEquals(new SemaphoreStatistics(2, Integer.MAX_VALUE, 0), s.statistics());
        assertTrue(s.tryAcquire());
        assertEquals(1, s.value());
        Testing.assertCheckpoints(s::acquire);
        assertEquals(0, s.value());
        assertFalse(s.tryAcquire());
        s.release();
        assertEquals(1, s.value());
        assertTrue(s.tryAcquire());

        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                record.add("started");
                s.acquire();
                record.add("finished");
            });
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("started"), record);
            assertEquals(new SemaphoreStatistics(0, Integer.MAX_VALUE, 1), s.statistics());
            assertEquals("Semaphore[value 0, 1 waiting]", s.toString());
            s.release();
            // Fairness: the unit went to the waiter, so the value stays 0.
            assertEquals(0, s.value());
            assertFalse(s.tryAcquire());
        });
        assertEquals(List.of("started", "finished"), record);
    }

    @WeftTest
    @Async
    void release_boundedAtMaximum_throwsIllegalStateAndValueStays() {
        Semaphore bs = new Semaphore(1, 1);
        assertEquals(1, bs.maxValue());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                bs::release);
        assertEquals("Semaphore.release: the value is already at its maximum 1; it was released more times than it "
                + "was acquired", e.getMessage());
        assertEquals(1, bs.value());
        assertTrue(bs.tryAcquire());
        assertEquals(0, bs.value());
        bs.release();
        assertEquals(1, bs.value());
        assertEquals("Semaphore[value 1 of max 1, 0 waiting]", bs.toString());
    }

    @WeftTest
    @Async
    void release_unboundedAtIntMax_throwsIllegalState() {
        Semaphore s = new Semaphore(Integer.MAX_VALUE);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, s::release);
        assertEquals(Integer.MAX_VALUE, s.value());
    }

    @WeftTest
    @Async
    void acquire_cancelledWhileWaiting_takesNothing(MockClock clock) {
        clock.autojumpThreshold(0);
        Semaphore s = new Semaphore(0);
        CancelScope.moveOnAfter(Duration.ofSeconds(1)).run(s::acquire);
        assertEquals(new SemaphoreStatistics(0, Integer.MAX_VALUE, 0), s.statistics());
        s.release();
        assertEquals(1, s.value());
        assertEquals(1.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void acquire_alreadyCancelled_throwsWithoutTakingAUnit() {
        Semaphore s = new Semaphore(1);
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            assertThrows(dev.weft.Cancelled.class, s::acquire);
        });
        assertEquals(1, s.value());
    }
}
