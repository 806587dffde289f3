package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.testing.MockClock;
import dev.weft.testing.WeftTest;
import java.time.Duration;

class HeartbeatTest {
    @WeftTest
    @Async
    void beatsWithin_tenMinutesForFiftyFive_beatsFiveTimes(MockClock clock) {
        clock.autojumpThreshold(0);

        assertEquals(5, Heartbeat.beatsWithin(Duration.ofMinutes(10), Duration.ofMinutes(55)));
        assertEquals(3300.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void nursery_twoSleepers_endWithTheLongerInVirtualTime(MockClock clock) {
        clock.autojumpThreshold(0);

        Nursery.open(n -> {
            n.startSoon(() -> Weft.sleep(Duration.ofHours(1)));
            n.startSoon(() -> Weft.sleep(Duration.ofHours(2)));
        });
        assertEquals(7200.0, Weft.currentTime());
    }
}
