package dev.weft.core;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelReason;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.RunInterruptedException;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Instrument;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import dev.weft.lowlevel.TaskLocal;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's low-level hooks: park and reschedule, abort callbacks, instruments, system
 * tasks, task-locals, task introspection, task dumps and the scheduling order. Ported from
 * python-trio/trio {@code src/trio/_core/_tests/test_run.py} and
 * {@code test_instrumentation.py}.
 */
class LowlevelTest {

    // ---------------------------------------------------------------- park and reschedule

    @WeftTest
    @Async
    void reschedule_withValueAndFailure_parkReturnsOrThrowsThem() {
        AtomicReference<Task> t1 = new AtomicReference<>();
        AtomicReference<Task> t2 = new AtomicReference<>();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                t1.set(Lowlevel.currentTask());
                Object x = Lowlevel.park(c -> AbortResult.SUCCEEDED);
                record.add("child1 woke with " + x);
                Lowlevel.rescheduleWithFailure(t2.get(), new IOException("error message"));
            });
            // Let t1 run and park.
            Weft.checkpoint();
            n.startSoon(() -> {
                t2.set(Lowlevel.currentTask());
                Lowlevel.reschedule(t1.get(), 0);
                IOException e = assertThrows(IOException.class, () -> Lowlevel.park(c -> AbortResult.SUCCEEDED));
                record.add("child2 got " + e.getMessage());
            });
        });
        assertEquals(List.of("child1 woke with 0", "child2 got error message"), record);
    }

    @WeftTest
    @Async
    void reschedule_runningTask_throwsIllegalState() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Lowlevel.reschedule(Lowlevel.currentTask(), null));
        assertTrue(e.getMessage().contains("expected PARKED, but was RUNNING"), e.getMessage());
    }

    @WeftTest
    @Async
    void reschedule_twice_secondThrowsIllegalState() {
        AtomicReference<Task> sleeper = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                sleeper.set(Lowlevel.currentTask());
                Lowlevel.park(c -> AbortResult.SUCCEEDED);
            });
            Testing.waitAllTasksBlocked();
            Lowlevel.reschedule(sleeper.get(), null);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Lowlevel.reschedule(sleeper.get(), null));
            assertTrue(e.getMessage().contains("but was RUNNABLE"), e.getMessage());
        });
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Lowlevel.reschedule(sleeper.get(), null));
        assertTrue(e.getMessage().contains("but was DONE"), e.getMessage());
    }

    // ---------------------------------------------------------------- aborts

    @WeftTest
    @Async
    void park_cancelledWhileParked_runsAbortOnceAndThrowsItsCancelled() {
        AtomicInteger aborts = new AtomicInteger();
        AtomicReference<Cancelled> handed = new AtomicReference<>();
        AtomicReference<Cancelled> thrown = new AtomicReference<>();
        CancelScope outer1 = new CancelScope();
        CancelScope outer2 = new CancelScope();
        outer1.run(() -> outer2.run(() -> Nursery.open(n -> {
            n.startSoon(() -> {
                thrown.set(assertThrows(Cancelled.class, () -> Lowlevel.park(c -> {
                    aborts.incrementAndGet();
                    handed.set(c);
                    return AbortResult.SUCCEEDED;
                })));
            });
            Testing.waitAllTasksBlocked();
            outer2.cancel();
            outer1.cancel();
        })));
        assertEquals(1, aborts.get());
        assertSame(handed.get(), thrown.get());
    }

    @WeftTest
    @Async
    void park_alreadyCancelled_abortsRightAway() {
        CancelScope scope = new CancelScope();
        List<String> record = new ArrayList<>();
        scope.run(() -> {
            scope.cancel();
            Lowlevel.park(c -> {
                record.add("abort");
                return AbortResult.SUCCEEDED;
            });
            record.add("not reached");
        });
        assertEquals(List.of("abort"), record);
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void park_abortFails_taskStaysParkedUntilRescheduledThenSeesCancel() {
        AtomicReference<Task> stubborn = new AtomicReference<>();
        AtomicReference<CancelScope> stubbornScope = new AtomicReference<>();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> {
                stubborn.set(Lowlevel.currentTask());
                CancelScope scope = new CancelScope();
                stubbornScope.set(scope);
                scope.run(() -> {
                    record.add("sleep");
                    Object x = Lowlevel.park(c -> AbortResult.FAILED);
                    assertEquals(1, x);
                    record.add("woke");
                    try {
                        Weft.checkpointIfCancelled();
                    } catch (Cancelled c) {
                        record.add("cancelled");
                    }
                });
            });
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleep"), record);
            stubbornScope.get().cancel();
            Testing.waitAllTasksBlocked();
            // The cancel did not wake it.
            assertEquals(List.of("sleep"), record);
            Lowlevel.reschedule(stubborn.get(), 1);
        });
        assertEquals(List.of("sleep", "woke", "cancelled"), record);
    }

    @WeftTest
    @Async
    void park_slowAbortHandedOverLater_deliveredEvenIfShieldedMeanwhile() {
        List<String> record = new ArrayList<>();
        AtomicReference<Task> task = new AtomicReference<>();
        AtomicReference<Cancelled> held = new AtomicReference<>();
        CancelScope outer1 = new CancelScope();
        CancelScope outer2 = new CancelScope();
        outer1.run(() -> outer2.run(() -> {
            Nursery.open(n -> {
                n.startSoon(() -> {
                    task.set(Lowlevel.currentTask());
                    record.add("sleeping");
                    assertThrows(Cancelled.class, () -> Lowlevel.park(c -> {
                        record.add("abort-called");
                        held.set(c);
                        return AbortResult.FAILED;
                    }));
                    record.add("cancelled");
                    // Blocking again is fine: by now the nursery is shielded.
                    Weft.checkpoint();
                    record.add("done");
                });
                Testing.waitAllTasksBlocked();
                assertEquals(List.of("sleeping"), record);
                outer1.cancel();
                assertEquals(List.of("sleeping", "abort-called"), record);
                // A second cancellation does not call the abort again.
                outer2.cancel();
                assertEquals(List.of("sleeping", "abort-called"), record);
                n.cancelScope().setShield(true);
                Lowlevel.rescheduleWithFailure(task.get(), held.get());
            });
            assertEquals(List.of("sleeping", "abort-called", "cancelled", "done"), record);
        }));
        assertFalse(outer1.cancelledCaught());
    }

    // ---------------------------------------------------------------- instruments

    /** Records every event, with the task's name. */
    static final class Recorder implements Instrument {
        final List<String> record = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeRun() {
            record.add("beforeRun");
        }

        @Override
        public void afterRun() {
            record.add("afterRun");
        }

        @Override
        public void taskSpawned(Task task) {
            record.add("spawned " + task.name());
        }

        @Override
        public void taskScheduled(Task task) {
            record.add("scheduled " + task.name());
        }

        @Override
        public void beforeTaskStep(Task task) {
            record.add("before " + task.name());
        }

        @Override
        public void afterTaskStep(Task task) {
            record.add("after " + task.name());
        }

        @Override
        public void taskExited(Task task) {
            record.add("exited " + task.name());
        }

        List<String> forTask(String name) {
            List<String> out = new ArrayList<>();
            for (String e : record) {
                if (e.endsWith(" " + name) || e.equals("beforeRun") || e.equals("afterRun")) {
                    out.add(e.endsWith(" " + name) ? e.substring(0, e.length() - name.length() - 1) : e);
                }
            }
            return out;
        }
    }

    @Test
    void instruments_taskCheckpointsFiveTimes_seeEventsInOrderAndCanBeSwapped() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        Weft.runner().handleInterrupts(false).instrument(r1).instrument(r2)
                .run(() -> Nursery.open(n -> n.startSoon("worker", () -> {
                    for (int i = 0; i < 4; i++) {
                        Weft.checkpoint();
                    }
                    // Swap r2 for r3 while running.
                    Lowlevel.removeInstrument(r2);
                    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                            () -> Lowlevel.removeInstrument(r2));
                    // Adding is idempotent.
                    Lowlevel.addInstrument(r3);
                    Lowlevel.addInstrument(r3);
                    Weft.checkpoint();
                })));
        List<String> expected = new ArrayList<>(List.of("beforeRun", "spawned", "scheduled"));
        for (int i = 0; i < 5; i++) {
            // checkpoint() puts the task back in the run queue before its step ends.
            expected.addAll(List.of("before", "scheduled", "after"));
        }
        expected.addAll(List.of("before", "after", "exited", "afterRun"));
        assertEquals(expected, r1.forTask("worker"));
        List<String> joined = new ArrayList<>(r2.record);
        joined.addAll(r3.record);
        assertEquals(r1.record, joined);
    }

    @Test
    void instruments_twoTasksFifo_interleaveStepByStep() throws Exception {
        Recorder r = new Recorder();
        Weft.runner().handleInterrupts(false).fifoOrder().instrument(r).run(() -> Nursery.open(n -> {
            n.startSoon("t1", Weft::checkpoint);
            n.startSoon("t2", Weft::checkpoint);
        }));
        List<String> both = new ArrayList<>();
        for (String e : r.record) {
            if (e.endsWith(" t1") || e.endsWith(" t2")) {
                both.add(e);
            }
        }
        assertEquals(List.of("spawned t1", "scheduled t1", "spawned t2", "scheduled t2",
                "before t1", "scheduled t1", "after t1", "before t2", "scheduled t2", "after t2",
                "before t1", "after t1", "exited t1", "before t2", "after t2", "exited t2"), both);
    }

    @Test
    void instruments_trivialRun_seeBeforeAndAfterRunAndMainTask() throws Exception {
        Recorder r = new Recorder();
        Task main = Weft.runner().handleInterrupts(false).instrument(r).run(Lowlevel::currentTask);
        assertEquals("main", main.name());
        assertEquals(List.of("beforeRun", "spawned main", "scheduled main", "before main", "after main",
                "exited main", "afterRun"), r.record);
    }

    @Test
    void instrument_throws_isRemovedAndRunCarriesOn() throws Exception {
        List<String> record = new ArrayList<>();
        Instrument broken = new Instrument() {
            @Override
            public void taskScheduled(Task task) {
                record.add("scheduled");
                throw new IllegalStateException("oops");
            }

            @Override
            public String toString() {
                return "BrokenInstrument";
            }
        };
        Recorder r = new Recorder();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        String v;
        try {
            v = Weft.runner().handleInterrupts(false).instrument(r).instrument(broken).run(() -> {
                record.add("main ran");
                Weft.checkpoint();
                return "value";
            });
        } finally {
            System.setErr(oldErr);
        }
        assertEquals("value", v);
        assertEquals(List.of("scheduled", "main ran"), record);
        // The other instrument kept going throughout.
        assertTrue(r.record.contains("after main"), r.record.toString());
        assertEquals("afterRun", r.record.get(r.record.size() - 1));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("BrokenInstrument") && printed.contains("removed") && printed.contains("oops"),
                printed);
    }

    // ---------------------------------------------------------------- system tasks

    @Test
    void spawnSystemTask_mainReturns_systemTaskCancelledAndAwaited() throws Exception {
        List<String> record = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Task> system = new AtomicReference<>();
        String v = Weft.runner().handleInterrupts(false).run(() -> {
            system.set(Lowlevel.spawnSystemTask("service", () -> {
                try {
                    Weft.sleepForever();
                } catch (Cancelled c) {
                    record.add("cancelled: " + c.reason().source());
                    throw c;
                } finally {
                    record.add("service finally");
                }
            }));
            Testing.waitAllTasksBlocked();
            record.add("main returns");
            return "main value";
        });
        assertEquals("main value", v);
        assertEquals(List.of("main returns", "cancelled: " + CancelReason.Source.MAIN_EXITED, "service finally"),
                record);
        assertTrue(system.get().isSystemTask());
        assertNull(system.get().parentNursery());
        assertEquals("service", system.get().name());
    }

    @Test
    void spawnSystemTask_fails_failureSurfacesFromRunAndMainIsCancelled() {
        List<String> record = Collections.synchronizedList(new ArrayList<>());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Weft.runner().handleInterrupts(false).run(() -> {
                    Lowlevel.spawnSystemTask("crasher", () -> {
                        Weft.checkpoint();
                        throw new IOException("system crash");
                    });
                    try {
                        Weft.sleepForever();
                    } catch (Cancelled c) {
                        record.add("main cancelled: " + c.reason().source());
                        throw c;
                    }
                }));
        assertEquals("system crash", e.getMessage());
        assertEquals(List.of("main cancelled: " + CancelReason.Source.NURSERY), record);
    }

    @Test
    void spawnSystemTask_convertsCancelToFailureInNursery_runThrowsOnlyThatFailure() {
        // Trio's test_system_task_crash_plus_Cancelled: the Cancelled of the sibling must not
        // leave the run along with the real failure.
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
                () -> Weft.runner().handleInterrupts(false).run(() -> {
                    Lowlevel.spawnSystemTask("system", () -> Nursery.open(n -> {
                        n.startSoon("crasher", () -> {
                            try {
                                Weft.sleepForever();
                            } catch (Cancelled c) {
                                throw new IOException("crash during cancel");
                            }
                        });
                        n.startSoon("cancelme", Weft::sleepForever);
                    }));
                    Testing.waitAllTasksBlocked();
                }));
        FailureGroup g = assertInstanceOf(FailureGroup.class, t);
        assertTrue(g.all(Cancelled.class).isEmpty(), "a Cancelled left the run: " + g);
        assertEquals("crash during cancel", g.first(IOException.class).orElseThrow().getMessage());
    }

    // ---------------------------------------------------------------- task-locals

    private static final TaskLocal<String> REQUEST = TaskLocal.withInitial("request", () -> "-");
    private static final TaskLocal<String> NULL_BY_DEFAULT = TaskLocal.named("nullByDefault");

    @WeftTest
    @Async
    void taskLocal_childSpawned_seesValueAtSpawnAndLaterChangesStaySeparate() {
        assertEquals("-", REQUEST.get());
        assertNull(NULL_BY_DEFAULT.get());
        List<String> record = new ArrayList<>();
        REQUEST.set("parent-1");
        Nursery.open(n -> {
            n.startSoon(() -> {
                record.add("child sees " + REQUEST.get());
                REQUEST.set("child");
                Weft.checkpoint();
                record.add("child keeps " + REQUEST.get());
            });
            REQUEST.set("parent-2");
            Weft.checkpoint();
            Testing.waitAllTasksBlocked();
            record.add("parent keeps " + REQUEST.get());
        });
        assertEquals(Set.of("child sees parent-1", "child keeps child", "parent keeps parent-2"), Set.copyOf(record));
        assertEquals("parent-2", REQUEST.get());
    }

    @WeftTest
    @Async
    void taskLocal_siblingsSetConcurrently_doNotInterfere() {
        Map<String, String> seen = new HashMap<>();
        Nursery.open(n -> {
            for (String name : List.of("a", "b", "c")) {
                n.startSoon(name, () -> {
                    REQUEST.set(name);
                    Weft.checkpoint();
                    Weft.checkpoint();
                    seen.put(name, REQUEST.get());
                });
            }
        });
        assertEquals(Map.of("a", "a", "b", "b", "c", "c"), seen);
        assertEquals("-", REQUEST.get());
    }

    @WeftTest
    @Async
    void taskLocal_spawnedByChildIntoParentNursery_inheritsFromTheSpawner() {
        AtomicReference<String> seen = new AtomicReference<>();
        Nursery.open(n -> n.startSoon(() -> {
            REQUEST.set("spawner");
            n.startSoon(() -> seen.set(REQUEST.get()));
        }));
        assertEquals("spawner", seen.get());
    }

    @WeftTest
    @Async
    void taskLocal_systemTask_inheritsFromItsSpawner() {
        REQUEST.set("from main");
        AtomicReference<String> seen = new AtomicReference<>();
        Lowlevel.spawnSystemTask("reader", () -> seen.set(REQUEST.get()));
        Testing.waitAllTasksBlocked();
        assertEquals("from main", seen.get());
    }

    // ---------------------------------------------------------------- introspection

    @WeftTest
    @Async
    void tasks_namesAndIds_followSpawnOrder() {
        Task main = Lowlevel.currentTask();
        assertEquals("main", main.name());
        assertSame(main, Lowlevel.currentRootTask());
        assertNull(main.parentNursery());
        assertNull(main.eventualParentNursery());
        assertFalse(main.isSystemTask());
        assertEquals("RUNNING", main.stateName());
        List<Task> children = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon(() -> children.add(Lowlevel.currentTask()));
            n.startSoon("named", () -> children.add(Lowlevel.currentTask()));
            Task sys = Lowlevel.spawnSystemTask("sys", Weft::checkpoint);
            Testing.waitAllTasksBlocked();
            assertTrue(sys.isSystemTask());
            assertEquals("DONE", sys.stateName());
        });
        Set<Long> ids = new HashSet<>();
        for (Task t : children) {
            ids.add(t.id());
            assertTrue(t.id() > main.id());
        }
        assertEquals(2, ids.size());
        Task unnamed = children.stream().filter(t -> !t.name().equals("named")).findFirst().orElseThrow();
        assertEquals("task-" + unnamed.id(), unnamed.name());
        Task named = children.stream().filter(t -> t.name().equals("named")).findFirst().orElseThrow();
        assertEquals(unnamed.id() + 1, named.id());
        assertEquals("DONE", named.stateName());
    }

    @WeftTest
    @Async
    void tasks_treeIntrospection_linksTasksAndNurseries() throws Exception {
        Map<String, Task> tasks = new HashMap<>();
        Map<String, Nursery> nurseries = new HashMap<>();
        Nursery.open(top -> top.startSoon("parent", () -> {
            Task parent = Lowlevel.currentTask();
            tasks.put("parent", parent);
            assertEquals(List.of(), parent.childNurseries());
            Nursery.open(n1 -> Nursery.open(n2 -> assertEquals(List.of(n1, n2), parent.childNurseries())));
            assertEquals(List.of(), parent.childNurseries());
            Nursery.open(n -> {
                nurseries.put("parent", n);
                n.start("child1", status -> {
                    Task me = Lowlevel.currentTask();
                    tasks.put("child1", me);
                    assertSame(parent, me.parentNursery().parentTask());
                    assertNotEquals(n, me.parentNursery());
                    assertSame(n, me.eventualParentNursery());
                    status.started();
                    assertSame(n, me.parentNursery());
                    assertNull(me.eventualParentNursery());
                    // Let start() return and close its temporary nursery.
                    Testing.waitAllTasksBlocked();
                    Nursery.open(c1 -> {
                        nurseries.put("child1", c1);
                        c1.startSoon("child2", () -> {
                            Task child2 = Lowlevel.currentTask();
                            tasks.put("child2", child2);
                            assertEquals(List.of(nurseries.get("parent")), parent.childNurseries());
                            assertEquals(List.of(me), nurseries.get("parent").childTasks());
                            assertEquals(List.of(c1), me.childNurseries());
                            assertEquals(List.of(child2), c1.childTasks());
                            assertEquals(List.of(), child2.childNurseries());
                        });
                    });
                });
            });
            // Upward links survive after the tasks and nurseries have ended.
            assertSame(parent, nurseries.get("parent").parentTask());
            assertSame(nurseries.get("parent"), tasks.get("child1").parentNursery());
            assertSame(tasks.get("child1"), nurseries.get("child1").parentTask());
            assertSame(nurseries.get("child1"), tasks.get("child2").parentNursery());
            // Walking up ends at the root, whose parent nursery is null.
            Nursery walk = Lowlevel.currentTask().parentNursery();
            int steps = 0;
            while (walk != null) {
                walk = walk.parentTask().parentNursery();
                steps++;
            }
            assertEquals(1, steps);
        }));
        assertEquals(Set.of("parent", "child1", "child2"), tasks.keySet());
        for (Task t : tasks.values()) {
            assertNull(t.eventualParentNursery());
        }
        assertEquals(Nursery.State.CLOSED, nurseries.get("parent").state());
        assertEquals(List.of(), nurseries.get("parent").childTasks());
    }

    @WeftTest
    @Async
    void dumpTaskTrees_insideRun_showsNurseriesAndTheirChildren() {
        Nursery.open(n -> {
            n.startSoon("outer-child", () -> Nursery.open(inner -> inner.startSoon("grandchild", Weft::sleepForever)));
            Lowlevel.spawnSystemTask("service", Weft::sleepForever);
            Testing.waitAllTasksBlocked();
            String dump = Lowlevel.dumpTaskTrees();
            String[] lines = dump.split("\n");
            assertTrue(lines[0].startsWith("Weft run on thread '"), dump);
            assertTrue(dump.contains("task 'main' #1 RUNNING"), dump);
            assertTrue(dump.contains("\n  nursery\n    task 'outer-child'"), dump);
            assertTrue(dump.contains("\n      nursery\n        task 'grandchild'"), dump);
            assertTrue(dump.contains("system task 'service'"), dump);
            n.cancelScope().cancel();
        });
    }

    @Test
    void dumpTaskTrees_fromAnotherThreadWhileRunBlocks_showsParkedTasks() throws Exception {
        Runner runner = Weft.runner().handleInterrupts(false);
        CountDownLatch blocked = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread runThread = new Thread(() -> {
            try {
                runner.run(() -> Nursery.open(n -> {
                    n.startSoon("sleeper", Weft::sleepForever);
                    Testing.waitAllTasksBlocked();
                    blocked.countDown();
                    Weft.sleepForever();
                }));
                outcome.set(new AssertionError("run returned normally"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "weft-dump-target");
        runThread.start();
        try {
            assertTrue(blocked.await(10, TimeUnit.SECONDS), "the run never blocked");
            String dump = Lowlevel.dumpTaskTrees();
            assertTrue(dump.contains("Weft run on thread 'weft-dump-target'"), dump);
            // Each parked task with the line it waits at (main in this test's lambda).
            assertTrue(dump.contains("task 'main' #1 PARKED at dev.weft.core.LowlevelTest"), dump);
            assertTrue(dump.contains("LowlevelTest.java:"), dump);
            assertTrue(dump.contains("\n  nursery\n    task 'sleeper' #2 PARKED at "), dump);
        } finally {
            runner.interrupt();
            runThread.join(10_000);
        }
        assertFalse(runThread.isAlive());
        assertInstanceOf(RunInterruptedException.class, outcome.get());
        assertEquals("(no Weft run is active)\n", Lowlevel.dumpTaskTrees());
    }

    @Test
    void currentTask_outsideRun_isAnErrorNamingTheCall() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                Lowlevel::currentTask);
        assertTrue(e.getMessage().startsWith("Lowlevel.currentTask()"), e.getMessage());
    }

    // ---------------------------------------------------------------- scheduling order

    @Test
    void fifoOrder_tasksRunnableTogether_runInTheOrderTheyBecameRunnable() throws Exception {
        List<Integer> log = new ArrayList<>();
        Weft.runner().handleInterrupts(false).fifoOrder().run(() -> Nursery.open(n -> {
            for (int i = 0; i < 10; i++) {
                int id = i;
                n.startSoon(() -> {
                    log.add(id);
                    Weft.checkpoint();
                    log.add(id);
                });
            }
        }));
        List<Integer> expected = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                expected.add(i);
            }
        }
        assertEquals(expected, log);
    }

    @Async
    private static void recordOrder(List<Integer> log) {
        Nursery.open(n -> {
            for (int i = 0; i < 20; i++) {
                int id = i;
                n.startSoon(() -> {
                    log.add(id);
                    Weft.checkpoint();
                    log.add(100 + id);
                });
            }
        });
    }

    @Test
    void randomOrder_sameSeed_replaysTheSameOrder() throws Exception {
        Set<List<Integer>> distinct = new HashSet<>();
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> first = new ArrayList<>();
            List<Integer> second = new ArrayList<>();
            Weft.runner().handleInterrupts(false).randomOrder(seed).run(() -> recordOrder(first));
            Weft.runner().handleInterrupts(false).randomOrder(seed).run(() -> recordOrder(second));
            assertEquals(first, second, "seed " + seed);
            assertEquals(40, first.size());
            distinct.add(first);
        }
        assertTrue(distinct.size() > 1, "five seeds gave one order: the order is not random");
    }

    @Test
    void run_failsWithRandomOrder_failureCarriesTheSeed() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Weft.runner().handleInterrupts(false).randomOrder(1234).run(() -> {
                    throw new IOException("bare");
                }));
        assertEquals(1, e.getSuppressed().length);
        String seed = e.getSuppressed()[0].getMessage();
        assertTrue(seed.contains("1234") && seed.contains("randomOrder(1234L)"), seed);

        IOException fifo = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Weft.runner().handleInterrupts(false).fifoOrder().run(() -> {
                    throw new IOException("bare");
                }));
        assertEquals(0, fifo.getSuppressed().length);
    }

    @Test
    void runner_interruptWithoutActiveRun_returnsFalse() throws Exception {
        Runner runner = Weft.runner().handleInterrupts(false);
        assertFalse(runner.interrupt());
        assertNotNull(runner.run(() -> "done"));
        assertFalse(runner.interrupt());
    }
}
