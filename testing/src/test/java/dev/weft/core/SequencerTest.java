package dev.weft.core;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.annotation.Async;
import dev.weft.testing.Sequencer;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Sequencer}: forcing an interleaving across tasks. Ported from python-trio/trio
 * {@code src/trio/_tests/test_testing.py} ({@code test_Sequencer}, {@code test_Sequencer_cancel}).
 */
class SequencerTest {

    @WeftTest
    @Async
    void run_positionsSpreadOverTwoTasks_runInPositionOrder() {
        List<String> record = new ArrayList<>();
        Sequencer seq = new Sequencer();
        Nursery.open(n -> {
            n.startSoon(() -> {
                seq.run(1, () -> record.add("f1 1"));
                seq.run(3, () -> record.add("f1 3"));
                seq.run(4, () -> record.add("f1 4"));
            });
            n.startSoon(() -> {
                seq.run(0, () -> record.add("f2 0"));
                seq.run(2, () -> record.add("f2 2"));
            });
            seq.run(5, Testing::waitAllTasksBlocked);
            assertEquals(List.of("f2 0", "f1 1", "f2 2", "f1 3", "f1 4"), record);
        });
    }

    @WeftTest
    @Async
    void run_positionUsedTwice_throwsIllegalState() {
        Sequencer seq = new Sequencer();
        seq.run(0, () -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> seq.run(0, () -> { }));
        assertTrue(e.getMessage().contains("used twice"), e.getMessage());
    }

    @WeftTest
    @Async
    void run_waiterCancelled_breaksEveryLaterPosition() {
        // Trio also turns the cancelled waiter's own Cancelled into an error; Weft lets it
        // through to its scope and fails every other waiter and later arrival instead.
        List<String> record = new ArrayList<>();
        Sequencer seq = new Sequencer();
        Nursery.open(n -> {
            for (int i = 1; i <= 2; i++) {
                int position = i;
                n.startSoon(() -> {
                    CancelScope scope = new CancelScope();
                    scope.run(() -> {
                        if (position == 1) {
                            scope.cancel();
                        }
                        try {
                            seq.run(position, () -> record.add("seq(" + position + ") ran"));
                        } catch (IllegalStateException e) {
                            record.add("seq(" + position + ") broken");
                        }
                    });
                    if (scope.cancelledCaught()) {
                        record.add("seq(" + position + ") cancelled");
                    }
                });
            }
            seq.run(0, () -> { });
        });
        assertEquals(Set.of("seq(1) cancelled", "seq(2) broken"), Set.copyOf(record));
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> seq.run(3, () -> { }));
        assertTrue(late.getMessage().contains("broken"), late.getMessage());
    }

    @WeftTest
    @Async
    void run_cancelledAtItsOwnTurn_breaksLaterPositionsInsteadOfHanging() {
        List<String> record = new ArrayList<>();
        Sequencer seq = new Sequencer();
        seq.run(0, () -> record.add("0"));
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            // Position 1's turn has come, so it does not wait; its checkpoint is cancelled.
            seq.run(1, () -> record.add("1"));
        });
        assertTrue(scope.cancelledCaught());
        // Without the break, position 2 would wait forever for a turn that never passes on.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> seq.run(2, () -> record.add("2")));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
        assertEquals(List.of("0"), record);
    }
}
