package dev.weft.weaver.testing;

import dev.weft.annotation.Async;
import dev.weft.internal.Continuation;
import dev.weft.internal.Woven;
import java.util.SplittableRandom;

/**
 * The suspension point the corpus calls: a hand-written leaf that suspends or not as the
 * test's policy says, so the same code can run plain (never), suspending at every point
 * (always) or at seeded random ones.
 */
@Woven(Woven.HAND_WRITTEN)
public final class Probe {
    /** When {@link #point()} suspends. */
    public enum Policy { NEVER, ALWAYS, RANDOM }

    private static Policy policy = Policy.NEVER;
    private static SplittableRandom random = new SplittableRandom(0);
    private static int points;

    private Probe() {
    }

    /** Sets the policy for the following runs. @param p the policy @param seed the seed for RANDOM */
    public static void use(Policy p, long seed) {
        policy = p;
        random = new SplittableRandom(seed);
        points = 0;
    }

    /** @return how many times {@link #point()} was reached (re-entries not counted) */
    public static int points() {
        return points;
    }

    /** A suspension point when the policy says so; otherwise returns at once. */
    @Async
    public static void point() {
        Continuation c = Continuation.current();
        if (c.isResuming()) {
            Continuation.suspend();
            return;
        }
        points++;
        boolean suspend = Continuation.isRunningOnThisThread() && switch (policy) {
            case NEVER -> false;
            case ALWAYS -> true;
            case RANDOM -> random.nextBoolean();
        };
        if (suspend) {
            Continuation.suspend();
        } else {
            c.handshake = null;
        }
    }
}
