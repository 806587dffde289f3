package dev.weft.core;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code Lowlevel.addTaskExitHook}/{@code removeTaskExitHook}: the hook a task's exit runs,
 * whatever ended it, which {@code dev.weft.sync.Lock} uses to break a lock whose owner exits.
 */
class TaskExitHookTest {

    @WeftTest
    @Async
    void addTaskExitHook_taskReturnsThrowsOrIsCancelled_hookCalledOnceWithTheTask() {
        List<String> record = new ArrayList<>();
        Consumer<Task> hook = t -> record.add("exit " + t.name() + " " + t.stateName());
        assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon("returns", () -> Lowlevel.addTaskExitHook(Lowlevel.currentTask(), hook));
            n.startSoon("sleeps", () -> {
                Lowlevel.addTaskExitHook(Lowlevel.currentTask(), hook);
                Weft.sleepForever();
            });
            Testing.waitAllTasksBlocked();
            n.startSoon("throws", () -> {
                Lowlevel.addTaskExitHook(Lowlevel.currentTask(), hook);
                throw new IOException("boom");
            });
        }));
        assertEquals(List.of("exit returns DONE", "exit sleeps DONE", "exit throws DONE"), record.stream().sorted(
                (a, b) -> order(a) - order(b)).toList());
        assertEquals(3, record.size());
    }

    private static int order(String s) {
        return s.contains("returns") ? 0 : s.contains("sleeps") ? 1 : 2;
    }

    @WeftTest
    @Async
    void addTaskExitHook_severalHooks_calledInTheOrderAddedAndDuplicatesTwice() {
        List<String> record = new ArrayList<>();
        Consumer<Task> a = t -> record.add("a");
        Consumer<Task> b = t -> record.add("b");
        Nursery.open(n -> n.startSoon(() -> {
            Task me = Lowlevel.currentTask();
            Lowlevel.addTaskExitHook(me, a);
            Lowlevel.addTaskExitHook(me, b);
            Lowlevel.addTaskExitHook(me, a);
            for (int i = 0; i < 10; i++) {
                Lowlevel.addTaskExitHook(me, t -> record.add("more"));
            }
        }));
        assertEquals(List.of("a", "b", "a"), record.subList(0, 3));
        assertEquals(13, record.size());
    }

    @WeftTest
    @Async
    void removeTaskExitHook_removed_isNotCalledAndASecondRemovalReturnsFalse() {
        List<String> record = new ArrayList<>();
        Consumer<Task> a = t -> record.add("a");
        Consumer<Task> b = t -> record.add("b");
        Nursery.open(n -> n.startSoon(() -> {
            Task me = Lowlevel.currentTask();
            Lowlevel.addTaskExitHook(me, a);
            Lowlevel.addTaskExitHook(me, b);
            Lowlevel.addTaskExitHook(me, a);
            assertTrue(Lowlevel.removeTaskExitHook(me, a));
            assertTrue(Lowlevel.removeTaskExitHook(me, a));
            assertFalse(Lowlevel.removeTaskExitHook(me, a));
        }));
        assertEquals(List.of("b"), record);
    }

    @WeftTest
    @Async
    void addTaskExitHook_onAnotherTask_runsWhenThatTaskExitsAndCanWakeTasks() {
        AtomicReference<Task> child = new AtomicReference<>();
        AtomicReference<Task> watcher = new AtomicReference<>();
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.startSoon("child", () -> {
                child.set(Lowlevel.currentTask());
                Weft.sleepForever();
            });
            n.startSoon("watcher", () -> {
                watcher.set(Lowlevel.currentTask());
                // Not abortable: the nursery's cancel must not wake it, only the hook.
                Object why = Lowlevel.park(c -> AbortResult.FAILED);
                record.add("watcher woken: " + why);
            });
            Testing.waitAllTasksBlocked();
            Lowlevel.addTaskExitHook(child.get(), t -> Lowlevel.reschedule(watcher.get(), t.name() + " exited"));
            n.cancelScope().cancel();
        });
        assertEquals(List.of("watcher woken: child exited"), record);
    }

    @WeftTest
    @Async
    void addTaskExitHook_exitedTask_throwsIllegalStateAndRemoveFindsNothing() {
        AtomicReference<Task> child = new AtomicReference<>();
        Consumer<Task> hook = t -> { };
        Nursery.open(n -> n.startSoon("gone", () -> {
            child.set(Lowlevel.currentTask());
            Lowlevel.addTaskExitHook(Lowlevel.currentTask(), hook);
        }));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Lowlevel.addTaskExitHook(child.get(), hook));
        assertEquals("cannot add an exit hook to task 'gone': expected a live task, but was DONE (it has already "
                + "exited)", e.getMessage());
        assertFalse(Lowlevel.removeTaskExitHook(child.get(), hook));
    }

    @Test
    void addTaskExitHook_hookThrows_runEndsWithItsException() {
        IllegalStateException broken = new IllegalStateException("hook failed");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Weft.runner().handleInterrupts(false).run(() -> Nursery.open(n -> n.startSoon(() ->
                        Lowlevel.addTaskExitHook(Lowlevel.currentTask(), t -> {
                            throw broken;
                        })))));
        assertSame(broken, e);
    }

    @Test
    void addTaskExitHook_outsideRun_throwsIllegalStateNamingTheCall() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Lowlevel.addTaskExitHook(null, t -> { }));
        assertTrue(e.getMessage().startsWith("Lowlevel.addTaskExitHook"), e.getMessage());
    }
}
