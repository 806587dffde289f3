package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.AsyncCallable;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.bench.subject.CallChain;
import dev.weft.bench.subject.ParkedTasks;
import dev.weft.bench.subject.PingPong;
import dev.weft.bench.subject.PingPongFrames;
import dev.weft.bench.subject.SpawnJoin;
import dev.weft.bench.subject.SwitchChain;
import dev.weft.internal.Continuation;
import dev.weft.lowlevel.Instrument;
import dev.weft.lowlevel.Task;
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

    @Test
    void run_spawnJoin_everyChildRunsToItsEndBeforeMainReturns() throws Exception {
        AsyncCallable<?> main = Weaving.newWoven(Weaving.load(SpawnJoin.class), SpawnJoin.class,
                AsyncCallable.class, 1000);
        StepCounter steps = new StepCounter();
        assertEquals(1000, benchRunner().instrument(steps).run(main));
        assertEquals(1001, steps.exited, "1000 children and the main task exited");
        assertEquals(1000, steps.childSteps, "each child ran in one step");
    }

    @Test
    void run_pingPongViaCheckpoint_eachCheckpointIsOneStepOfOneChild() throws Exception {
        AsyncCallable<?> main = Weaving.newWoven(Weaving.load(PingPong.class), PingPong.class,
                AsyncCallable.class, 100, false);
        StepCounter steps = new StepCounter();
        assertEquals(100, benchRunner().instrument(steps).run(main));
        assertEquals(100 + 2, steps.childSteps, "one step per checkpoint, plus each child's last");
        assertEquals(2, steps.mainSteps, "the main task waits in its nursery meanwhile");
    }

    @Test
    void run_pingPongViaPark_parksTheGivenCountAndCanRunAgain() throws Exception {
        AsyncCallable<?> main = Weaving.newWoven(Weaving.load(PingPong.class), PingPong.class,
                AsyncCallable.class, 100, true);
        for (int run = 0; run < 2; run++) {
            StepCounter steps = new StepCounter();
            assertEquals(100, benchRunner().instrument(steps).run(main));
            assertEquals(100 + 2, steps.childSteps, "one step per park, plus each child's first");
        }
    }

    @Test
    void run_pingPongFrames_suspendsOnEveryRunAtTheSameDepthThenEnds() {
        Continuation task = new Continuation(Weaving.newWoven(Weaving.load(PingPongFrames.class),
                PingPongFrames.class, AsyncCallable.class, 3));
        assertEquals(Continuation.Status.SUSPENDED, task.run());
        int slots = task.savedSlots();
        assertTrue(slots >= 3, "the entry, the lambda and point() each save their state, but " + slots
                + " slots were saved");
        for (int i = 0; i < 2; i++) {
            assertEquals(Continuation.Status.SUSPENDED, task.run());
            assertEquals(slots, task.savedSlots(), "the same frames saved on every switch");
        }
        assertEquals(Continuation.Status.DONE, task.run());
        assertEquals(3, task.result());
    }

    @Test
    void run_parkedTasks_countsAtLeastEachTaskRecordPerParkedTask() throws Exception {
        AsyncCallable<?> main = Weaving.newWoven(Weaving.load(ParkedTasks.class), ParkedTasks.class,
                AsyncCallable.class, 1000);
        HeapHistogram[] h = (HeapHistogram[]) benchRunner().run(main);
        assertEquals(4, h.length);
        double perTask = (double) (h[3].totalBytes() - h[2].totalBytes()) / 1000;
        assertTrue(perTask >= 100 && perTask < 10_000, "live bytes per parked task: " + perTask);
        String table = h[3].perTaskTable(h[2], 1000);
        assertTrue(table.contains("dev.weft.internal.TaskCore"), table);
    }

    private static Runner benchRunner() {
        return Weft.runner().fifoOrder().spawnSites(false).handleInterrupts(false);
    }

    /** Counts steps and exits, telling the main task's apart. */
    private static final class StepCounter implements Instrument {
        int childSteps;
        int mainSteps;
        int exited;

        @Override
        public void beforeTaskStep(Task task) {
            if (task.name().equals("main")) {
                mainSteps++;
            } else {
                childSteps++;
            }
        }

        @Override
        public void taskExited(Task task) {
            exited++;
        }
    }
}
