package demo;

import dev.weft.CancelScope;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.time.Duration;

public class Heartbeat {
    /** Beats once per interval until the limit, and returns how many times it beat. */
    @Async
    public static int beatsWithin(Duration interval, Duration limit) {
        int[] beats = {0};
        CancelScope.moveOnAfter(limit).run(() -> {
            while (true) {
                Weft.sleep(interval);
                beats[0]++;
            }
        });
        return beats[0];
    }
}
