package dev.weft.sync;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.Task;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link CapacityLimiter}: borrowing for a task or on behalf of anything, one token per
 * borrower, fairness, and changing the capacity at run time. Ported from python-trio/trio
 * {@code src/trio/_tests/test_sync.py} ({@code test_CapacityLimiter*}).
 */
class CapacityLimiterTest {

    private static Set<Object> borrowers(CapacityLimiter c) {
        return Set.copyOf(c.statistics().borrowers());
    }

    @Test
    void constructor_negativeTotal_throwsIllegalArgument() {
        assertEquals(0, new CapacityLimiter(0).totalTokens());
        assertEquals("totalTokens must be >= 0, was -1", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new CapacityLimiter(-1)).getMessage());
    }

    @WeftTest
    @Async
    void acquireAndRelease_eachStep_statisticsFollowAndBorrowersCannotBorrowTwice() {
        CapacityLimiter c = new CapacityLimiter(2);
        Task me = Lowlevel.currentTask();
        assertEquals(2, c.totalTokens());
        assertEquals(0, c.borrowedTokens());
        assertEquals(2, c.availableTokens());
        IllegalStateException notHolding = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                c::release);
        assertEquals("CapacityLimiter.release: task 'main' does not hold any of this limiter's tokens (holders: 0)",
                notHolding.getMessage());
        assertTrue(c.tryAcquire());
        assertEquals(1, c.borrowedTokens());
        assertEquals(1, c.availableTokens());
        assertEquals(new CapacityLimiterStatistics(1, 2, List.of(me), 0), c.statistics());

        // A borrower cannot borrow twice, blocking or not.
        IllegalStateException twice = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                c::tryAcquire);
        assertEquals("CapacityLimiter: task 'main' already holds one of this limiter's tokens; a borrower holds at "
                + "most one", twice.getMessage());
        assertEquals(1, c.borrowedTokens());
        assertThrows(IllegalStateException.class, c::acquire);
        assertEquals(1, c.borrowedTokens());

        // On behalf of someone else, though.
        Testing.assertCheckpoints(() -> c.acquireOnBehalfOf("someone"));
        assertEquals(2, c.borrowedTokens());
        assertFalse(c.tryAcquireOnBehalfOf("third party"));
        assertEquals(Set.of(me, "someone"), borrowers(c));
        assertEquals(List.of(me, "someone"), c.statistics().borrowers());

        c.releaseOnBehalfOf(me);
        assertEquals(List.of("someone"), c.statistics().borrowers());
        c.releaseOnBehalfOf("someone");
        assertEquals(0, c.borrowedTokens());
        Testing.assertCheckpoints(() -> {
            c.acquire();
            assertEquals(1, c.borrowedTokens());
            c.release();
        });

        Nursery.open(n -> {
            c.acquireOnBehalfOf("value 1");
            c.acquireOnBehalfOf("value 2");
            n.startSoon(() -> c.acquireOnBehalfOf("value 3"));
            Testing.waitAllTasksBlocked();
            assertEquals(2, c.borrowedTokens());
            assertEquals(1, c.statistics().tasksWaiting());
            IllegalStateException waiting = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalStateException.class, () -> c.tryAcquireOnBehalfOf("value 3"));
            assertTrue(waiting.getMessage().contains("borrower value 3 already waits for"), waiting.getMessage());
            c.releaseOnBehalfOf("value 2");
            // Fairness: the token went to the waiter.
            assertEquals(2, c.borrowedTokens());
            assertFalse(c.tryAcquire());
        });
        c.releaseOnBehalfOf("value 3");
        c.releaseOnBehalfOf("value 1");
        assertEquals(new CapacityLimiterStatistics(0, 2, List.of(), 0), c.statistics());
    }

    @WeftTest
    @Async
    void tryAcquire_unlimitedTotal_alwaysHasTokens() {
        CapacityLimiter c = new CapacityLimiter(Integer.MAX_VALUE);
        assertTrue(c.tryAcquire());
        assertEquals(1, c.borrowedTokens());
        assertEquals(Integer.MAX_VALUE - 1, c.availableTokens());
    }

    @WeftTest
    @Async
    void setTotalTokens_raisedAndLowered_wakesWaitersAtOnceAndEvictsNobody() {
        CapacityLimiter c = new CapacityLimiter(2);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> c.setTotalTokens(-1));
        assertEquals(2, c.totalTokens());
        Nursery.open(n -> {
            for (int i = 0; i < 5; i++) {
                int id = i;
                n.startSoon(() -> c.acquireOnBehalfOf(id));
                Testing.waitAllTasksBlocked();
            }
            assertEquals(Set.of(0, 1), borrowers(c));
            assertEquals(3, c.statistics().tasksWaiting());
            c.setTotalTokens(c.totalTokens() + 2);
            // At once, before the woken tasks even run.
            assertEquals(Set.of(0, 1, 2, 3), borrowers(c));
            assertEquals(1, c.statistics().tasksWaiting());
            c.setTotalTokens(c.totalTokens() - 3);
            assertEquals(4, c.borrowedTokens());
            assertEquals(1, c.totalTokens());
            assertEquals(0, c.availableTokens());
            c.releaseOnBehalfOf(0);
            c.releaseOnBehalfOf(1);
            c.releaseOnBehalfOf(2);
            assertEquals(Set.of(3), borrowers(c));
            assertEquals(1, c.statistics().tasksWaiting());
            c.releaseOnBehalfOf(3);
            assertEquals(Set.of(4), borrowers(c));
            assertEquals(0, c.statistics().tasksWaiting());
        });
    }

    @WeftTest
    @Async
    void acquire_cancelledWhileWaiting_leavesNoPendingBorrower() {
        // python-trio/trio#548: a cancelled acquire left its borrower behind, forever.
        CapacityLimiter c = new CapacityLimiter(1);
        c.acquire();
        Nursery.open(n -> {
            n.startSoon(c::acquire);
            Testing.waitAllTasksBlocked();
            n.cancelScope().cancel();
        });
        assertEquals(new CapacityLimiterStatistics(1, 1, List.of(Lowlevel.currentTask()), 0), c.statistics());
        c.release();
        // The cancelled task's borrower is not pending: a new borrower gets the token at once.
        assertTrue(c.tryAcquireOnBehalfOf("next"));
    }

    @WeftTest
    @Async
    void setTotalTokens_zero_letsNobodyInUntilRaised() {
        CapacityLimiter c = new CapacityLimiter(5);
        Nursery.open(n -> {
            c.setTotalTokens(0);
            for (int i = 0; i < 5; i++) {
                int id = i;
                n.startSoon(() -> c.acquireOnBehalfOf(id));
                Testing.waitAllTasksBlocked();
            }
            assertEquals(Set.of(), borrowers(c));
            assertEquals(5, c.statistics().tasksWaiting());
            c.setTotalTokens(5);
            assertEquals(Set.of(0, 1, 2, 3, 4), borrowers(c));

            n.startSoon(() -> c.acquireOnBehalfOf(5));
            Testing.waitAllTasksBlocked();
            assertEquals(1, c.statistics().tasksWaiting());
            for (int i = 0; i < 5; i++) {
                c.releaseOnBehalfOf(i);
            }
            assertEquals(0, c.statistics().tasksWaiting());
            c.releaseOnBehalfOf(5);

            c.setTotalTokens(0);
            assertFalse(c.tryAcquire());
            n.startSoon(() -> c.acquireOnBehalfOf(6));
            Testing.waitAllTasksBlocked();
            assertEquals(1, c.statistics().tasksWaiting());
            assertEquals(List.of(), c.statistics().borrowers());
            c.setTotalTokens(1);
            assertEquals(0, c.statistics().tasksWaiting());
            assertEquals(List.of(6), c.statistics().borrowers());
            c.releaseOnBehalfOf(6);

            c.acquireOnBehalfOf(0);
            n.startSoon(() -> c.acquireOnBehalfOf(1));
            Testing.waitAllTasksBlocked();
            c.setTotalTokens(0);
            assertEquals(List.of(0), c.statistics().borrowers());
            c.releaseOnBehalfOf(0);
            Testing.waitAllTasksBlocked();
            assertEquals(List.of(), c.statistics().borrowers());
            assertEquals(1, c.statistics().tasksWaiting());
            c.setTotalTokens(1);
            Testing.waitAllTasksBlocked();
            assertEquals(List.of(1), c.statistics().borrowers());
            assertEquals(0, c.statistics().tasksWaiting());
            c.releaseOnBehalfOf(1);
            c.setTotalTokens(0);
            n.cancelScope().cancel();
        });
        assertEquals(0, c.totalTokens());
        assertEquals(new CapacityLimiterStatistics(0, 0, List.of(), 0), c.statistics());
    }

    @WeftTest
    @Async
    void acquire_timesOutWhileWaiting_tokenStaysWithItsHolder(MockClock clock) {
        clock.autojumpThreshold(0);
        CapacityLimiter c = new CapacityLimiter(1);
        c.acquireOnBehalfOf("holder");
        CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(3));
        scope.run(c::acquire);
        assertTrue(scope.cancelledCaught());
        assertEquals(3.0, Weft.currentTime());
        assertEquals(new CapacityLimiterStatistics(1, 1, List.of("holder"), 0), c.statistics());
        assertEquals("CapacityLimiter[1/1 borrowed, 0 waiting]", c.toString());
    }
}
