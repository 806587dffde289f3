package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.RunInterruptedException;
import dev.weft.Runner;
import dev.weft.TaskStatus;
import dev.weft.TooSlowException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.testing.MockClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random trees of nurseries, tasks and cancel scopes, run under many scheduling seeds, checked
 * against the structured-concurrency invariants:
 * <ul>
 *   <li>no task outlives its nursery, and no nursery outlives the task that opened it (from
 *       the log of nursery open/close and task spawn/start/end events);
 *   <li>every spawned task starts (even in a cancelled nursery), and every {@code finally}
 *       runs exactly once;
 *   <li>every failure thrown reaches the root exactly once, through the {@link FailureGroup}
 *       tree, and nothing else does (no {@link Cancelled}, no runtime error);
 *   <li>a scope that caught a cancellation was cancelled;
 *   <li>the same seed replays the same run, event for event;
 *   <li>nothing hangs: a watchdog interrupts a run that takes more than a few real seconds.
 * </ul>
 * Each program is drawn from {@code new Random(seed)} and run with {@code randomOrder(seed)} on
 * a {@link MockClock} with autojump, so a failure names one seed that reproduces it.
 */
class ScheduleFuzzTest {

    private static final int SEEDS = 200;
    private static final long WATCHDOG_SECONDS = 10;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedule-fuzz-watchdog");
        t.setDaemon(true);
        return t;
    });

    @AfterAll
    static void stopWatchdog() {
        WATCHDOG.shutdownNow();
    }

    // ---------------------------------------------------------------- the program

    /** One step of a generated program. */
    sealed interface Op permits Sleep, Yield, Fail, Scope, Open, CatchCancel, CancelScopeOp, ShieldOp, DeadlineOp,
            CancelNurseryOp, Spawn {
    }

    record Sleep(long millis) implements Op {
    }

    /** 0: checkpoint, 1: checkpointIfCancelled, 2: cancelShieldedCheckpoint. */
    record Yield(int kind) implements Op {
    }

    record Fail(int id) implements Op {
    }

    enum ScopeKind { PLAIN, DEADLINE, MOVE_ON_AFTER, FAIL_AFTER }

    record Scope(int id, ScopeKind kind, double seconds, boolean shield, List<Op> body) implements Op {
    }

    record Open(int id, List<Child> children, List<Op> body) implements Op {
    }

    /** Catches {@link Cancelled} around its body: rethrows it, swallows it, or turns it into failure {@code convertTo}. */
    record CatchCancel(int id, boolean swallow, int convertTo, List<Op> body) implements Op {
    }

    record CancelScopeOp(int scope) implements Op {
    }

    record ShieldOp(int scope, boolean on) implements Op {
    }

    record DeadlineOp(int scope, double fromNow) implements Op {
    }

    record CancelNurseryOp(int nursery) implements Op {
    }

    /** Starts a task in an enclosing nursery (maybe one of an ancestor task, maybe while it closes). */
    record Spawn(int nursery, Child child) implements Op {
    }

    /** A task: started with {@code startSoon}, or with {@code start} calling {@code started()} before op {@code startedAt}. */
    record Child(int id, boolean viaStart, int startedAt, List<Op> body) {
    }

    /** Draws a program from a seed, within size limits that keep each run to a millisecond or so. */
    static final class Generator {
        private static final int MAX_DEPTH = 5;
        private static final int MAX_TASKS = 40;
        private static final int MAX_OPS = 200;
        private static final long[] SLEEPS = {0, 0, 250, 1000, 2000, 5000, 100_000};
        private static final double[] TIMEOUTS = {0, 0.5, 1, 1.5, 3, 10};

        private final Random r;
        private int nextId = 1;
        private int tasks;
        private int ops;
        private final List<Integer> scopes = new ArrayList<>();

        Generator(long seed) {
            this.r = new Random(seed);
        }

        List<Op> program() {
            return body(0, List.of(), 2 + r.nextInt(4));
        }

        private List<Op> body(int depth, List<Integer> nurseries, int length) {
            List<Op> out = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                out.add(op(depth, nurseries));
            }
            return out;
        }

        private List<Op> body(int depth, List<Integer> nurseries) {
            return body(depth, nurseries, r.nextInt(4));
        }

        private Op op(int depth, List<Integer> nurseries) {
            ops++;
            if (depth < MAX_DEPTH && ops < MAX_OPS) {
                int roll = r.nextInt(100);
                if (roll < 20) {
                    return open(depth, nurseries);
                }
                if (roll < 36) {
                    return scope(depth, nurseries);
                }
                if (roll < 42) {
                    int id = nextId++;
                    int how = r.nextInt(3);
                    return new CatchCancel(id, how == 1, how == 2 ? nextId++ : -1, body(depth + 1, nurseries));
                }
                if (roll < 48 && !nurseries.isEmpty() && tasks < MAX_TASKS) {
                    // The new task lives in the chosen nursery, so only it and the nurseries
                    // around it enclose the task's own code.
                    int target = r.nextInt(nurseries.size());
                    return new Spawn(nurseries.get(target), child(depth, nurseries.subList(0, target + 1)));
                }
            }
            int roll = r.nextInt(100);
            if (roll < 35) {
                return new Sleep(SLEEPS[r.nextInt(SLEEPS.length)]);
            }
            if (roll < 50) {
                return new Yield(r.nextInt(3));
            }
            if (roll < 57) {
                return new Fail(nextId++);
            }
            if (!scopes.isEmpty()) {
                if (roll < 70) {
                    return new CancelScopeOp(pick(scopes));
                }
                if (roll < 76) {
                    return new ShieldOp(pick(scopes), r.nextBoolean());
                }
                if (roll < 85) {
                    return new DeadlineOp(pick(scopes), TIMEOUTS[r.nextInt(TIMEOUTS.length)] - 0.5);
                }
            }
            if (roll < 90 && !nurseries.isEmpty()) {
                return new CancelNurseryOp(pick(nurseries));
            }
            return new Yield(0);
        }

        private Open open(int depth, List<Integer> nurseries) {
            int id = nextId++;
            List<Integer> inside = new ArrayList<>(nurseries);
            inside.add(id);
            List<Child> children = new ArrayList<>();
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n && tasks < MAX_TASKS; i++) {
                children.add(child(depth, inside));
            }
            return new Open(id, children, body(depth + 1, inside));
        }

        private Child child(int depth, List<Integer> nurseries) {
            tasks++;
            int id = nextId++;
            List<Op> body = body(depth + 1, nurseries, r.nextInt(5));
            return new Child(id, r.nextInt(5) == 0, r.nextInt(body.size() + 1), body);
        }

        private Scope scope(int depth, List<Integer> nurseries) {
            int id = nextId++;
            scopes.add(id);
            ScopeKind kind = ScopeKind.values()[r.nextInt(ScopeKind.values().length)];
            return new Scope(id, kind, TIMEOUTS[r.nextInt(TIMEOUTS.length)], r.nextInt(6) == 0,
                    body(depth + 1, nurseries));
        }

        private int pick(List<Integer> from) {
            return from.get(r.nextInt(from.size()));
        }
    }

    // ---------------------------------------------------------------- running it

    enum Kind { NURSERY_OPEN, NURSERY_CLOSE, SPAWN, TASK_START, TASK_END, ENTER, FINALLY, CANCEL_CAUGHT }

    /** One logged event; {@code where} is the task for most kinds, the target nursery for SPAWN. */
    record Event(Kind kind, int id, int where) {
    }

    /** A failure thrown on purpose, known by its id. */
    static final class FuzzFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int id;

        FuzzFailure(int id) {
            super("fuzz failure " + id, null, false, false);
            this.id = id;
        }
    }

    /** The state of one run: its log and what it created and threw. */
    static final class Run {
        final List<Event> events = new ArrayList<>();
        final List<Integer> thrown = new ArrayList<>();
        /** Every TooSlowException seen leaving a scope (an outer scope sees it again: a set). */
        final java.util.Set<TooSlowException> tooSlow = Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Integer, CancelScope> scopes = new HashMap<>();
        final Map<Integer, Nursery> nurseries = new HashMap<>();

        void log(Kind kind, int id, int where) {
            events.add(new Event(kind, id, where));
        }
    }

    @Async
    private static void exec(Run run, List<Op> ops, int task) throws Exception {
        for (Op op : ops) {
            execOne(run, op, task);
        }
    }

    @Async
    private static void block(Run run, int id, List<Op> body, int task) throws Exception {
        run.log(Kind.ENTER, id, task);
        try {
            exec(run, body, task);
        } finally {
            run.log(Kind.FINALLY, id, task);
        }
    }

    @Async
    private static void execOne(Run run, Op op, int task) throws Exception {
        if (op instanceof Sleep s) {
            Weft.sleep(Duration.ofMillis(s.millis()));
        } else if (op instanceof Yield y) {
            if (y.kind() == 0) {
                Weft.checkpoint();
            } else if (y.kind() == 1) {
                Weft.checkpointIfCancelled();
            } else {
                Weft.cancelShieldedCheckpoint();
            }
        } else if (op instanceof Fail f) {
            run.thrown.add(f.id());
            throw new FuzzFailure(f.id());
        } else if (op instanceof Scope sc) {
            CancelScope scope = newScope(sc);
            run.scopes.put(sc.id(), scope);
            try {
                scope.run(() -> block(run, sc.id(), sc.body(), task));
            } catch (TooSlowException e) {
                run.tooSlow.add(e);
                throw e;
            }
        } else if (op instanceof Open o) {
            run.log(Kind.NURSERY_OPEN, o.id(), task);
            try {
                Nursery.open(n -> {
                    run.nurseries.put(o.id(), n);
                    for (Child c : o.children()) {
                        spawn(run, n, o.id(), c);
                    }
                    exec(run, o.body(), task);
                });
            } finally {
                run.log(Kind.NURSERY_CLOSE, o.id(), task);
            }
        } else if (op instanceof CatchCancel cc) {
            try {
                block(run, cc.id(), cc.body(), task);
            } catch (Cancelled c) {
                run.log(Kind.CANCEL_CAUGHT, cc.id(), task);
                if (cc.convertTo() >= 0) {
                    run.thrown.add(cc.convertTo());
                    throw new FuzzFailure(cc.convertTo());
                }
                if (!cc.swallow()) {
                    throw c;
                }
            }
        } else if (op instanceof CancelScopeOp c) {
            CancelScope scope = run.scopes.get(c.scope());
            if (scope != null) {
                scope.cancel("fuzz");
            }
        } else if (op instanceof ShieldOp sh) {
            CancelScope scope = run.scopes.get(sh.scope());
            if (scope != null) {
                scope.setShield(sh.on());
            }
        } else if (op instanceof DeadlineOp d) {
            CancelScope scope = run.scopes.get(d.scope());
            if (scope != null) {
                scope.setDeadline(Weft.currentTime() + d.fromNow());
            }
        } else if (op instanceof CancelNurseryOp cn) {
            run.nurseries.get(cn.nursery()).cancelScope().cancel("fuzz");
        } else if (op instanceof Spawn sp) {
            spawn(run, run.nurseries.get(sp.nursery()), sp.nursery(), sp.child());
        } else {
            throw new AssertionError(op);
        }
    }

    private static CancelScope newScope(Scope sc) {
        Duration d = Duration.ofMillis((long) (sc.seconds() * 1000));
        CancelScope scope = switch (sc.kind()) {
            case PLAIN -> new CancelScope();
            case DEADLINE -> CancelScope.withDeadline(Weft.currentTime() + sc.seconds());
            case MOVE_ON_AFTER -> CancelScope.moveOnAfter(d);
            case FAIL_AFTER -> CancelScope.failAfter(d);
        };
        return scope.setShield(sc.shield());
    }

    @Async
    private static void spawn(Run run, Nursery n, int nursery, Child c) throws Exception {
        run.log(Kind.SPAWN, c.id(), nursery);
        if (c.viaStart()) {
            n.start("t" + c.id(), status -> runTask(run, c, status));
        } else {
            n.startSoon("t" + c.id(), () -> runTask(run, c, null));
        }
    }

    @Async
    private static void runTask(Run run, Child c, TaskStatus<?> status) throws Exception {
        run.log(Kind.TASK_START, c.id(), c.id());
        try {
            List<Op> body = c.body();
            for (int i = 0; i < body.size(); i++) {
                if (status != null && i == c.startedAt()) {
                    status.started();
                }
                execOne(run, body.get(i), c.id());
            }
            if (status != null && c.startedAt() == body.size()) {
                status.started();
            }
        } finally {
            run.log(Kind.TASK_END, c.id(), c.id());
        }
    }

    /** Runs the program of {@code seed} once; returns its log, or fails naming the seed. */
    private static List<Event> runOnce(long seed, List<Op> program) throws InterruptedException {
        Run run = new Run();
        MockClock clock = new MockClock().autojumpThreshold(0);
        Runner runner = Weft.runner().clock(clock).randomOrder(seed).handleInterrupts(false).spawnSites(false);
        AtomicReference<String> hung = new AtomicReference<>();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            hung.set(Lowlevel.dumpTaskTrees());
            runner.interrupt();
        }, WATCHDOG_SECONDS, TimeUnit.SECONDS);
        Throwable outcome = null;
        try {
            runner.run(() -> exec(run, program, 0));
        } catch (Throwable t) {
            outcome = t;
        } finally {
            watchdog.cancel(false);
        }
        String where = "seed " + seed + " (program " + abbreviate(program.toString()) + ")";
        if (hung.get() != null) {
            throw new AssertionError("run hung: " + where + "\n" + hung.get(), outcome);
        }
        if (outcome instanceof RunInterruptedException) {
            throw new AssertionError("run interrupted: " + where, outcome);
        }
        checkFailures(run, outcome, where);
        checkEvents(run.events, where);
        for (CancelScope s : run.scopes.values()) {
            if (s.cancelledCaught() && !s.cancelCalled()) {
                throw new AssertionError("scope " + s + " caught a cancellation but was never cancelled: " + where);
            }
        }
        if (!Double.isFinite(clock.currentTime())) {
            throw new AssertionError("the clock jumped to " + clock.currentTime() + ": " + where);
        }
        return run.events;
    }

    private static String abbreviate(String s) {
        return s.length() <= 3000 ? s : s.substring(0, 3000) + "...";
    }

    /** Every failure thrown reaches the root exactly once, and nothing else does. */
    private static void checkFailures(Run run, Throwable outcome, String where) {
        List<Integer> reached = new ArrayList<>();
        Map<Throwable, Integer> slowReached = new IdentityHashMap<>();
        List<Throwable> unexpected = new ArrayList<>();
        if (outcome != null) {
            collect(outcome, reached, slowReached, unexpected);
        }
        if (!unexpected.isEmpty()) {
            AssertionError e = new AssertionError("unexpected failure reached the root: " + unexpected + ": " + where,
                    unexpected.get(0));
            throw e;
        }
        List<Integer> thrown = new ArrayList<>(run.thrown);
        Collections.sort(thrown);
        Collections.sort(reached);
        if (!thrown.equals(reached)) {
            throw new AssertionError("failures thrown " + thrown + " but reached the root " + reached + ": " + where,
                    outcome);
        }
        boolean sameSlow = slowReached.size() == run.tooSlow.size() && run.tooSlow.containsAll(slowReached.keySet())
                && slowReached.values().stream().allMatch(n -> n == 1);
        if (!sameSlow) {
            throw new AssertionError(run.tooSlow.size() + " TooSlowException thrown but " + slowReached.size()
                    + " reached the root (times each: " + slowReached.values() + "): " + where, outcome);
        }
    }

    private static void collect(Throwable t, List<Integer> ids, Map<Throwable, Integer> slow, List<Throwable> other) {
        if (t instanceof FailureGroup g) {
            if (g.failures().isEmpty()) {
                other.add(g);
            }
            for (Throwable f : g.failures()) {
                collect(f, ids, slow, other);
            }
        } else if (t instanceof FuzzFailure f) {
            ids.add(f.id);
        } else if (t instanceof TooSlowException) {
            slow.merge(t, 1, Integer::sum);
        } else {
            other.add(t);
        }
    }

    /** The log's nesting: tasks inside their nurseries, nurseries inside their tasks, each finally once. */
    private static void checkEvents(List<Event> events, String where) {
        Map<Kind, Map<Integer, Integer>> at = new HashMap<>();
        Map<Integer, Integer> spawnedInto = new HashMap<>();
        Map<Integer, Integer> openedBy = new HashMap<>();
        Map<Integer, Integer> enteredBy = new HashMap<>();
        for (int seq = 0; seq < events.size(); seq++) {
            Event e = events.get(seq);
            if (e.kind() == Kind.CANCEL_CAUGHT) {
                continue;
            }
            Integer before = at.computeIfAbsent(e.kind(), k -> new HashMap<>()).put(e.id(), seq);
            if (before != null) {
                throw new AssertionError(e.kind() + " " + e.id() + " happened twice (events " + before + " and " + seq
                        + "): " + where);
            }
            if (e.kind() == Kind.SPAWN) {
                spawnedInto.put(e.id(), e.where());
            } else if (e.kind() == Kind.NURSERY_OPEN) {
                openedBy.put(e.id(), e.where());
            } else if (e.kind() == Kind.ENTER) {
                enteredBy.put(e.id(), e.where());
            }
        }
        Map<Integer, Integer> open = at.getOrDefault(Kind.NURSERY_OPEN, Map.of());
        Map<Integer, Integer> close = at.getOrDefault(Kind.NURSERY_CLOSE, Map.of());
        Map<Integer, Integer> spawn = at.getOrDefault(Kind.SPAWN, Map.of());
        Map<Integer, Integer> start = at.getOrDefault(Kind.TASK_START, Map.of());
        Map<Integer, Integer> end = at.getOrDefault(Kind.TASK_END, Map.of());
        Map<Integer, Integer> enter = at.getOrDefault(Kind.ENTER, Map.of());
        Map<Integer, Integer> fin = at.getOrDefault(Kind.FINALLY, Map.of());
        assertEquals(open.keySet(), close.keySet(), "every nursery opened is closed once: " + where);
        assertEquals(spawn.keySet(), start.keySet(), "every task spawned starts: " + where);
        assertEquals(start.keySet(), end.keySet(), "every task started ends once: " + where);
        assertEquals(enter.keySet(), fin.keySet(), "every finally runs once: " + where);
        for (Map.Entry<Integer, Integer> t : spawn.entrySet()) {
            int task = t.getKey();
            int nursery = spawnedInto.get(task);
            assertNotNull(open.get(nursery), "task " + task + " spawned into nursery " + nursery + " never opened");
            boolean nested = open.get(nursery) < spawn.get(task) && spawn.get(task) < start.get(task)
                    && start.get(task) < end.get(task) && end.get(task) < close.get(nursery);
            if (!nested) {
                throw new AssertionError("task " + task + " (spawn " + spawn.get(task) + ", start " + start.get(task)
                        + ", end " + end.get(task) + ") is not inside nursery " + nursery + " (open " + open.get(nursery)
                        + ", close " + close.get(nursery) + "): " + where);
            }
        }
        for (Map.Entry<Integer, Integer> n : openedBy.entrySet()) {
            checkInsideTask("nursery " + n.getKey(), open.get(n.getKey()), close.get(n.getKey()), n.getValue(), start,
                    end, where);
        }
        for (Map.Entry<Integer, Integer> b : enteredBy.entrySet()) {
            checkInsideTask("block " + b.getKey(), enter.get(b.getKey()), fin.get(b.getKey()), b.getValue(), start,
                    end, where);
        }
    }

    private static void checkInsideTask(String what, int from, int to, int task, Map<Integer, Integer> start,
            Map<Integer, Integer> end, String where) {
        if (!(from < to)) {
            throw new AssertionError(what + " ended before it began: " + where);
        }
        if (task != 0 && !(start.get(task) < from && to < end.get(task))) {
            throw new AssertionError(what + " (" + from + ".." + to + ") outlives its task " + task + " ("
                    + start.get(task) + ".." + end.get(task) + "): " + where);
        }
    }

    // ---------------------------------------------------------------- the test

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomTrees_manySeeds_keepStructuredConcurrencyInvariants() throws Exception {
        int caughtCancels = 0;
        int events = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Op> program = new Generator(seed).program();
            List<Event> first = runOnce(seed, program);
            List<Event> again = runOnce(seed, program);
            if (!first.equals(again)) {
                throw new AssertionError("seed " + seed + " did not replay the same run:\n" + first + "\n" + again);
            }
            events += first.size();
            caughtCancels += (int) first.stream().filter(e -> e.kind() == Kind.CANCEL_CAUGHT).count();
        }
        // The generator must produce interesting runs, not just empty ones.
        if (events < SEEDS * 5 || caughtCancels == 0) {
            throw new AssertionError("the programs are too small to test anything: " + events + " events, "
                    + caughtCancels + " caught cancellations in " + SEEDS + " seeds");
        }
    }
}
