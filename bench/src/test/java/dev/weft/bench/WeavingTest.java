package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.AsyncCallable;
import dev.weft.bench.subject.CallChain;
import dev.weft.bench.subject.SwitchChain;
import dev.weft.internal.Continuation;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Checks, in milliseconds, that the benchmark subjects weave and behave as the benchmarks
 * assume; the benchmarks themselves run only from {@code target/benchmarks.jar}.
 */
class WeavingTest {
    private static final Blackhole SINK = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void load_callChain_wovenCopyComputesWhatThePlainOneDoes() {
        ChainLoop woven = Weaving.newWoven(Weaving.load(CallChain.class), CallChain.class, ChainLoop.class);
        assertNotSame(CallChain.class, woven.getClass());
        int[] inputs = {0, 1, -7, Integer.MAX_VALUE, 123_456};
        Continuation task = new Continuation(() -> woven.loop(inputs, SINK));
        assertEquals(Continuation.Status.DONE, task.run());
        assertEquals(new CallChain().loop(inputs, SINK), task.result());
    }

    @Test
    void load_switchChain_suspendsOnEveryRunAndSavesEachFrame() {
        AsyncCallable<?> body = Weaving.newWoven(Weaving.load(SwitchChain.class), SwitchChain.class,
                AsyncCallable.class, 10, false);
        Continuation task = new Continuation(body);
        assertEquals(Continuation.Status.SUSPENDED, task.run());
        int slots = task.savedSlots();
        assertTrue(slots >= 11, "each of the 11 frames saves at least its state, but " + slots + " slots were saved");
        for (int i = 0; i < 3; i++) {
            assertEquals(Continuation.Status.SUSPENDED, task.run());
            assertEquals(slots, task.savedSlots(), "the same frames saved on every switch");
        }
        assertEquals(4, task.suspensions());
    }

    @Test
    void load_switchChainLoopingAtLeaf_suspendsOnEveryRun() {
        AsyncCallable<?> body = Weaving.newWoven(Weaving.load(SwitchChain.class), SwitchChain.class,
                AsyncCallable.class, 3, true);
        Continuation task = new Continuation(body);
        for (int i = 0; i < 3; i++) {
            assertEquals(Continuation.Status.SUSPENDED, task.run());
        }
        assertEquals(3, task.suspensions());
    }
}
