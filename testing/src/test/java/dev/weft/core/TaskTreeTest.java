package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;

class TaskTreeTest {

    @Async
    static void parkedHere() {
        Weft.sleepForever();
    }

    @WeftTest
    @Async
    void dumpTaskTrees_fromInsideTheRun_showsEachTaskWithItsSuspensionLine() {
        Nursery.open(n -> {
            n.startSoon("sleeper", TaskTreeTest::parkedHere);
            Testing.waitAllTasksBlocked();
            String dump = Lowlevel.dumpTaskTrees();
            assertTrue(dump.contains("task 'main' #1 RUNNING"), dump);
            assertTrue(dump.contains("task 'sleeper'"), dump);
            assertTrue(dump.contains("PARKED at dev.weft.core.TaskTreeTest.parkedHere(TaskTreeTest.java:16) in Weft.sleepForever"),
                    dump);
            n.cancelScope().cancel();
        });
    }
}
