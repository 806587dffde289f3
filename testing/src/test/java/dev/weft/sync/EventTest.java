package dev.weft.sync;

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

/** {@link Event}. Ported from python-trio/trio {@code src/trio/_tests/test_sync.py} ({@code test_Event}). */
class EventTest {

    @WeftTest
    @Async
    void await_eventAlreadySet_returnsAfterACheckpoint() {
        Event e = new Event();
        assertFalse(e.isSet());
        assertEquals(new EventStatistics(0), e.statistics());
        e.set();
        assertTrue(e.isSet());
        Testing.assertCheckpoints(e::await);
        assertEquals("Event[set]", e.toString());
    }

    @WeftTest
    @Async
    void set_twoWaiters_wakesBoth() {
        Event e = new Event();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            for (int i = 0; i < 2; i++) {
                n.startSoon(() -> {
                    record.add("sleeping");
                    e.await();
                    record.add("woken");
                });
            }
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleeping", "sleeping"), record);
            assertEquals(new EventStatistics(2), e.statistics());
            assertEquals("Event[unset, 2 waiting]", e.toString());
            e.set();
            assertEquals(new EventStatistics(0), e.statistics());
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleeping", "sleeping", "woken", "woken"), record);
        });
    }

    @WeftTest
    @Async
    void set_calledTwice_secondDoesNothing() {
        Event e = new Event();
        e.set();
        e.set();
        assertTrue(e.isSet());
        e.await();
    }

    @WeftTest
    @Async
    void await_cancelledWhileWaiting_leavesNoWaiterAndLaterSetStillWorks(MockClock clock) {
        clock.autojumpThreshold(0);
        Event e = new Event();
        CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(1));
        scope.run(e::await);
        assertTrue(scope.cancelledCaught());
        assertEquals(new EventStatistics(0), e.statistics());
        Nursery.open(n -> {
            n.startSoon(e::await);
            Testing.waitAllTasksBlocked();
            e.set();
        });
        assertEquals(1.0, Weft.currentTime());
    }
}
