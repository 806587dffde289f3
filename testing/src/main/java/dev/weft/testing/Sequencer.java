package dev.weft.testing;

import dev.weft.Cancelled;
import dev.weft.ScopeBody;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.AbortResult;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Forces tasks to take steps in a given order, for tests of interleavings: Trio's
 * {@code Sequencer}.
 * {@snippet :
 * Sequencer seq = new Sequencer();
 * n.startSoon(() -> { seq.run(0, () -> log.add("a")); seq.run(2, () -> log.add("c")); });
 * n.startSoon(() -> seq.run(1, () -> log.add("b")));
 * // log is [a, b, c]
 * }
 * {@link #run(int, ScopeBody)} waits until every lower position has run, runs its block,
 * then lets the next position go. Each position runs once. If a task is cancelled while
 * waiting for its turn, or at its turn's checkpoint, the sequencer is broken: every later
 * position fails with {@link IllegalStateException}, so the test fails loudly instead of
 * hanging. Must be used on one run's thread.
 */
public final class Sequencer {
    private int next;
    private final Set<Integer> claimed = new HashSet<>();
    private final Map<Integer, Task> waiting = new HashMap<>();
    private boolean broken;

    /** Creates a sequencer whose first position is 0. */
    public Sequencer() {
    }

    /**
     * Waits for {@code position}'s turn, runs {@code block}, and passes the turn on. A
     * checkpoint.
     *
     * @param position the step's position, from 0
     * @param block what to run in that step
     * @param <X> what the block may throw
     * @throws X what the block threw (the turn still passes on)
     * @throws IllegalStateException if the position was used before, or the sequencer broke
     */
    @Async
    public <X extends Exception> void run(int position, ScopeBody<X> block) throws X {
        if (!claimed.add(position)) {
            throw new IllegalStateException("Sequencer position " + position + " was used twice");
        }
        if (broken) {
            throw new IllegalStateException("Sequencer is broken: a task was cancelled before its position ran");
        }
        Task me = Lowlevel.currentTask();
        try {
            if (next != position) {
                waiting.put(position, me);
                Lowlevel.park(cancelled -> {
                    waiting.remove(position);
                    return AbortResult.SUCCEEDED;
                });
            } else {
                dev.weft.Weft.checkpoint();
            }
        } catch (Cancelled c) {
            // Cancelled at its turn's checkpoint as much as while waiting: either way the turn
            // never passes on, so the later positions must fail rather than wait forever.
            broken = true;
            for (Task t : waiting.values()) {
                Lowlevel.rescheduleWithFailure(t, new IllegalStateException(
                        "Sequencer is broken: task '" + me.name() + "' was cancelled at position " + position));
            }
            waiting.clear();
            throw c;
        }
        try {
            block.run();
        } finally {
            next++;
            Task t = waiting.remove(next);
            if (t != null) {
                Lowlevel.reschedule(t, null);
            }
        }
    }
}
