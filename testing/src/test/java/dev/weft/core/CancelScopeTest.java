package dev.weft.core;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelReason;
import dev.weft.CancelScope;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import dev.weft.Nursery;
import dev.weft.TooSlowException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.testing.MockClock;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Cancel scopes: level-triggered cancellation, nesting, shields, deadlines, reasons and the
 * timeout helpers. Ported from python-trio/trio {@code src/trio/_core/_tests/test_run.py},
 * {@code test_cancelled.py} and {@code src/trio/_tests/test_timeouts.py}.
 */
class CancelScopeTest {

    // ---------------------------------------------------------------- level-triggered

    @WeftTest
    @Async
    void checkpoint_afterCatchingCancelled_raisesAgain() {
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            scope.cancel();
            assertThrows(Cancelled.class, Weft::checkpoint);
            log.add("caught once");
            assertThrows(Cancelled.class, Weft::sleepForever);
            log.add("caught twice");
            assertThrows(Cancelled.class, Weft::checkpointIfCancelled);
            log.add("caught three times");
        });
        assertEquals(List.of("caught once", "caught twice", "caught three times"), log);
        assertTrue(scope.cancelCalled());
        // Every Cancelled was caught inside, so none reached the scope.
        assertFalse(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void cancel_calledTwice_isIdempotentAndScopeCatches() {
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            scope.cancel();
            scope.cancel();
            Weft.checkpoint();
            log.add("after checkpoint");
        });
        assertTrue(log.isEmpty(), log.toString());
        assertTrue(scope.cancelCalled());
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void catchException_aroundCancelledCheckpoint_doesNotCatchIt() {
        assertFalse(Exception.class.isAssignableFrom(Cancelled.class), "Cancelled must not be an Exception");
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            scope.cancel();
            try {
                Weft.checkpoint();
                log.add("returned");
            } catch (Exception e) {
                log.add("caught as Exception: " + e);
            }
        });
        assertTrue(log.isEmpty(), log.toString());
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void run_cancelledBeforeEntry_bodyCancelledAtFirstCheckpoint() {
        CancelScope scope = new CancelScope();
        scope.cancel();
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            log.add("body started");
            Weft.sleepForever();
        });
        assertEquals(List.of("body started"), log);
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void cancel_afterScopeExited_recordsCallButChangesNothing() {
        CancelScope scope = new CancelScope();
        scope.run(Weft::checkpoint);
        scope.cancel();
        Weft.checkpoint();
        assertTrue(scope.cancelCalled());
        assertFalse(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void exit_pendingCancelNotDelivered_isNotCaughtAndDoesNotLeak() {
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            Weft.cancelShieldedCheckpoint();
        });
        Weft.checkpoint();
        assertTrue(scope.cancelCalled());
        assertFalse(scope.cancelledCaught());
    }

    // ---------------------------------------------------------------- nesting

    @WeftTest
    @Async
    void run_nestedScopesCancelled_outermostCancelledCatches() {
        CancelScope scope1 = new CancelScope();
        CancelScope scope2 = new CancelScope();
        CancelScope scope3 = new CancelScope();
        scope1.run(() -> scope2.run(() -> scope3.run(() -> {
            scope3.cancel();
            scope2.cancel();
            Weft.sleepForever();
        })));
        assertTrue(scope3.cancelCalled());
        assertFalse(scope3.cancelledCaught());
        assertTrue(scope2.cancelCalled());
        assertTrue(scope2.cancelledCaught());
        assertFalse(scope1.cancelCalled());
        assertFalse(scope1.cancelledCaught());
    }

    @WeftTest
    @Async
    void cancel_outerScope_reachesTasksInNestedNurseries() {
        Set<String> record = new java.util.HashSet<>();
        CancelScope outer = new CancelScope();
        outer.run(() -> Nursery.open(n -> {
            for (String w : List.of("w1", "w2")) {
                n.startSoon(w, () -> Nursery.open(inner -> {
                    for (String l : List.of("-l1", "-l2")) {
                        inner.startSoon(w + l, () -> {
                            try {
                                Weft.sleepForever();
                            } catch (Cancelled c) {
                                record.add(w + l);
                                throw c;
                            }
                        });
                    }
                }));
            }
            Testing.waitAllTasksBlocked();
            outer.cancel("stop the tree");
        }));
        assertEquals(Set.of("w1-l1", "w1-l2", "w2-l1", "w2-l2"), record);
        assertTrue(outer.cancelledCaught());
    }

    @WeftTest
    @Async
    void startSoon_intoCancelledNursery_childStartsThenCancelledAtFirstCheckpoint() {
        List<String> record = new ArrayList<>();
        Nursery.open(n -> {
            n.cancelScope().cancel();
            n.startSoon(() -> {
                record.add("started");
                Weft.sleepForever();
                record.add("not reached");
            });
        });
        assertEquals(List.of("started"), record);
    }

    @WeftTest
    @Async
    void open_cancelledScopeAroundNurseryWithFailingChild_stripsCancelledKeepsFailure() {
        CancelScope outer = new CancelScope();
        FailureGroup g = assertThrows(FailureGroup.class, () -> outer.run(() -> {
            FailureGroup inner = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
                n.startSoon("t1", Weft::sleepForever);
                n.startSoon("t2", Weft::sleepForever);
                n.cancelScope().cancel();
                new CancelScope().setShield(true).run(Testing::waitAllTasksBlocked);
                n.startSoon("t3", Weft::sleepForever);
                outer.cancel();
                n.startSoon("t4", () -> {
                    throw new IOException("crasher");
                });
            }));
            // Inside the outer cancelled scope the group still carries the cancellations.
            assertTrue(inner.all(Cancelled.class).size() >= 3, inner.toString());
            assertEquals(1, inner.all(IOException.class).size(), inner.toString());
            throw inner;
        }));
        // Outside, the outer scope has removed every Cancelled and kept the real failure.
        assertTrue(outer.cancelledCaught());
        assertTrue(g.allMatch(IOException.class), g.toString());
        assertEquals("crasher", g.first(IOException.class).orElseThrow().getMessage());
        assertTrue(g.all(Cancelled.class).isEmpty());
    }

    @WeftTest
    @Async
    void open_cancelledWhileWaitingForChildrenThatReturnNormally_returnsNormally() {
        // python-trio/trio#1457: waiting for children in a cancelled scope must not inject a
        // Cancelled of its own; only the children's own outcomes count.
        CancelScope cs = new CancelScope();
        List<String> log = new ArrayList<>();
        cs.run(() -> {
            cs.cancel();
            Nursery.open(n -> n.startSoon(() -> log.add("child ran without a checkpoint")));
            log.add("after nursery");
        });
        assertEquals(List.of("child ran without a checkpoint", "after nursery"), log);
        assertFalse(cs.cancelledCaught());
    }

    @WeftTest
    @Async
    void open_cancelledScopeAroundTwoFailingChildren_reportsOnlyTheirFailures() {
        // python-trio/trio#1457, second example: no Cancelled joins the two real failures.
        CancelScope cs = new CancelScope();
        FailureGroup g = assertThrows(FailureGroup.class, () -> cs.run(() -> Nursery.open(n -> {
            cs.cancel();
            n.startSoon(() -> {
                throw new IOException("a");
            });
            n.startSoon(() -> {
                throw new IllegalStateException("b");
            });
        })));
        assertEquals(2, g.failures().size(), g.toString());
        assertFalse(cs.cancelledCaught());
    }

    // ---------------------------------------------------------------- shields

    @WeftTest
    @Async
    void shield_setAndLifted_protectsFromOuterOnlyWhileSet() {
        CancelScope outer = new CancelScope();
        CancelScope inner = new CancelScope();
        outer.run(() -> inner.run(() -> {
            Weft.checkpoint();
            outer.cancel();
            assertThrows(Cancelled.class, Weft::checkpoint);
            assertFalse(inner.shield());
            inner.setShield(true);
            assertTrue(inner.shield());
            // The shield protects from 'outer'...
            Weft.checkpoint();
            CancelScope innermost = new CancelScope();
            innermost.run(() -> {
                innermost.cancel();
                // ...but not from a scope inside it.
                assertThrows(Cancelled.class, Weft::checkpoint);
            });
            Weft.checkpoint();
            inner.setShield(false);
            assertThrows(Cancelled.class, Weft::checkpoint);
            inner.setShield(true);
            Weft.checkpoint();
            // A shield does not protect from the scope itself: this Cancelled reaches inner.
            inner.cancel();
            Weft.checkpoint();
        }));
        assertTrue(inner.cancelledCaught());
        assertFalse(outer.cancelledCaught());
    }

    @WeftTest
    @Async
    void shield_liftedWhileChildBlocked_abortsItsWaitAtOnce() {
        CancelScope outer = new CancelScope();
        List<String> record = new ArrayList<>();
        outer.run(() -> Nursery.open(n -> {
            outer.cancel();
            n.cancelScope().setShield(true);
            n.startSoon(() -> {
                record.add("sleeping");
                try {
                    Weft.sleepForever();
                } catch (Cancelled c) {
                    record.add("cancelled");
                    throw c;
                }
            });
            Testing.waitAllTasksBlocked();
            assertEquals(List.of("sleeping"), record);
            n.cancelScope().setShield(false);
            // Wait shielded, so that the nursery's own exit cannot be what cancels the child.
            new CancelScope().setShield(true).run(() -> {
                Testing.waitAllTasksBlocked();
                assertEquals(List.of("sleeping", "cancelled"), record);
            });
        }));
        assertTrue(outer.cancelledCaught());
    }

    @WeftTest
    @Async
    void shield_setWhileCancelPropagates_outerCatchesNotInner() {
        CancelScope outer = new CancelScope();
        CancelScope inner = new CancelScope();
        outer.run(() -> inner.run(() -> {
            outer.cancel();
            try {
                Weft.checkpoint();
            } finally {
                inner.setShield(true);
            }
        }));
        assertTrue(outer.cancelledCaught());
        assertFalse(inner.cancelledCaught());
    }

    @WeftTest
    @Async
    void shield_setBeforeEntry_appliesOnEntryAndCanBeLifted() {
        CancelScope outer = new CancelScope();
        CancelScope scope = new CancelScope().setShield(true);
        outer.run(() -> scope.run(() -> {
            outer.cancel();
            Weft.checkpoint();
            scope.setShield(false);
            assertThrows(Cancelled.class, Weft::checkpoint);
        }));
        assertFalse(scope.cancelledCaught());
    }

    // ---------------------------------------------------------------- deadlines

    @WeftTest
    @Async
    void deadline_ofExitedScope_neverFires(MockClock clock) {
        double start = Weft.currentTime();
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            assertEquals(Double.POSITIVE_INFINITY, scope.deadline());
            scope.setDeadline(start + 1);
            assertEquals(start + 1, scope.deadline());
        });
        assertFalse(scope.cancelCalled());
        clock.jump(2);
        Weft.checkpoint();
        Weft.checkpoint();
        Weft.checkpoint();
        assertFalse(scope.cancelCalled());
        assertFalse(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void deadline_passesWhileInside_scopeCancelledAndCatches(MockClock clock) {
        double start = Weft.currentTime();
        CancelScope scope = CancelScope.withDeadline(start + 1);
        scope.run(() -> {
            clock.jump(2);
            Weft.sleepForever();
        });
        assertTrue(scope.cancelCalled());
        assertTrue(scope.cancelledCaught());
        assertEquals(CancelReason.Source.DEADLINE, scope.cancelReason().source());
    }

    @WeftTest
    @Async
    void checkpoint_deadlinePassedSinceLastCheckpoint_raisesCancelled(MockClock clock) {
        // The run loop must check deadlines for a task that yielded, not only for parked ones.
        CancelScope.withDeadline(Weft.currentTime() + 5).run(() -> {
            Weft.checkpoint();
            clock.jump(10);
            assertThrows(Cancelled.class, Weft::checkpoint);
        });
    }

    @WeftTest
    @Async
    void setDeadline_whileInEffect_movesTheCancellation(MockClock clock) {
        double start = Weft.currentTime();
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            Weft.checkpoint();
            scope.setDeadline(start + 10);
            Weft.checkpoint();
            clock.jump(5);
            Weft.checkpoint();
            scope.setDeadline(start + 1);
            assertThrows(Cancelled.class, Weft::checkpoint);
            assertThrows(Cancelled.class, Weft::checkpoint);
        });
        assertFalse(scope.cancelledCaught());
        assertTrue(scope.cancelCalled());
    }

    @WeftTest
    @Async
    void setDeadline_laterWhileBlocked_extendsTheWait(MockClock clock) {
        clock.autojumpThreshold(0);
        CancelScope scope = CancelScope.withDeadline(1);
        Nursery.open(n -> {
            n.startSoon(() -> scope.run(Weft::sleepForever));
            Testing.waitAllTasksBlocked();
            scope.setDeadline(7);
        });
        assertEquals(7.0, Weft.currentTime());
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void run_deadlineAlreadyPassedOnEntry_cancelledAtOnce(MockClock clock) {
        clock.jump(10);
        CancelScope scope = CancelScope.withDeadline(5);
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            log.add("cancelCalled=" + scope.cancelCalled());
            Weft.checkpointIfCancelled();
            log.add("not reached");
        });
        assertEquals(List.of("cancelCalled=true"), log);
        assertTrue(scope.cancelledCaught());
        assertEquals(CancelReason.Source.DEADLINE, scope.cancelReason().source());
    }

    @WeftTest
    @Async
    void cancelCalled_unenteredScopeWhoseDeadlinePassed_isTrueAndStays(MockClock clock) {
        CancelScope scope = CancelScope.withDeadline(Weft.currentTime() + 1);
        assertFalse(scope.cancelCalled());
        scope.setDeadline(scope.deadline() - 1);
        assertTrue(scope.cancelCalled());
        scope.setDeadline(scope.deadline() + 1);
        // A scope never becomes un-cancelled.
        assertTrue(scope.cancelCalled());
    }

    @WeftTest
    @Async
    void withTimeout_beforeEntry_deadlineThrowsAndCountsFromEntry(MockClock clock) {
        CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(5), scope.relativeDeadline());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                scope::deadline);
        assertTrue(e.getMessage().contains("counts from entering the scope"), e.getMessage());
        clock.jump(3);
        double start = Weft.currentTime();
        scope.run(() -> {
            assertEquals(start + 5, scope.deadline());
            scope.setDeadline(start + 4);
            assertEquals(start + 4, scope.deadline());
        });
        assertFalse(scope.cancelCalled());
    }

    @WeftTest
    @Async
    void moveOnAfter_deadlinePasses_returnsNullAtTheDeadline(MockClock clock) {
        clock.autojumpThreshold(0);
        clock.jump(3);
        CancelScope scope = CancelScope.moveOnAfter(Duration.ofSeconds(2));
        String v = scope.call(() -> {
            Weft.sleep(Duration.ofSeconds(100));
            return "finished";
        });
        assertNull(v);
        assertEquals(5.0, Weft.currentTime());
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void moveOnAt_bodyFinishesFirst_returnsItsValue(MockClock clock) {
        clock.autojumpThreshold(0);
        CancelScope scope = CancelScope.moveOnAt(10);
        String v = scope.call(() -> {
            Weft.sleep(Duration.ofSeconds(1));
            return "finished";
        });
        assertEquals("finished", v);
        assertEquals(1.0, Weft.currentTime());
        assertFalse(scope.cancelCalled());
    }

    @WeftTest
    @Async
    void moveOnAt_currentTime_sleepZeroIsCancelled() {
        CancelScope.moveOnAt(Weft.currentTime()).run(() -> {
            assertThrows(Cancelled.class, () -> Weft.sleep(Duration.ZERO));
        });
    }

    @WeftTest
    @Async
    void failAfter_deadlinePasses_throwsTooSlow(MockClock clock) {
        clock.autojumpThreshold(0);
        TooSlowException e = assertThrows(TooSlowException.class,
                () -> CancelScope.failAfter(Duration.ofSeconds(1)).run(() -> Weft.sleep(Duration.ofSeconds(100))));
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        assertEquals(1.0, Weft.currentTime());
        assertThrows(TooSlowException.class, () -> CancelScope.failAt(Weft.currentTime() + 2).run(Weft::sleepForever));
        assertEquals(3.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void failAfter_bodyFinishesInTime_returnsNormally(MockClock clock) {
        clock.autojumpThreshold(0);
        CancelScope.failAfter(Duration.ofSeconds(100)).run(() -> Weft.sleep(Duration.ZERO));
        CancelScope.failAt(100).run(() -> Weft.sleep(Duration.ofSeconds(1)));
        assertEquals(1.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void failAfter_cancelledExplicitly_endsLikeAPlainScope() {
        CancelScope scope = CancelScope.failAfter(Duration.ofSeconds(100));
        scope.run(() -> {
            scope.cancel("not a timeout");
            Weft.checkpoint();
        });
        assertTrue(scope.cancelledCaught());
        assertEquals(CancelReason.Source.EXPLICIT, scope.cancelReason().source());
    }

    @WeftTest
    @Async
    void failAfter_shieldedInsideCancelledScope_stillFailsAtItsDeadline(MockClock clock) {
        clock.autojumpThreshold(0);
        CancelScope outer = new CancelScope();
        assertThrows(TooSlowException.class, () -> outer.run(() -> CancelScope.failAfter(Duration.ofSeconds(1))
                .setShield(true).run(() -> {
                    outer.cancel();
                    Weft.sleepForever();
                })));
        assertEquals(1.0, Weft.currentTime());
    }

    @WeftTest
    @Async
    void moveOnAfter_shieldedThenUnshielded_outerCancellationArrives() {
        CancelScope outer = new CancelScope();
        CancelScope inner = CancelScope.moveOnAfter(Duration.ofSeconds(1)).setShield(true);
        outer.run(() -> inner.run(() -> {
            outer.cancel();
            Weft.checkpoint();
            inner.setShield(false);
            assertThrows(Cancelled.class, Weft::checkpoint);
        }));
        assertFalse(inner.cancelCalled());
    }

    @Test
    void timeouts_invalidArguments_throwIllegalArgument() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CancelScope.moveOnAfter(Duration.ofSeconds(-1)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CancelScope.failAfter(Duration.ofSeconds(-1)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CancelScope.withDeadline(Double.NaN));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CancelScope.failAt(Double.NaN));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CancelScope().setDeadline(Double.NaN));
        // Deadlines may be in the past or infinite.
        assertEquals(Double.NEGATIVE_INFINITY, CancelScope.moveOnAt(Double.NEGATIVE_INFINITY).deadline());
    }

    // ---------------------------------------------------------------- entering once

    @WeftTest
    @Async
    void run_scopeEnteredBefore_throwsIllegalState() {
        CancelScope scope = new CancelScope();
        scope.run(Weft::checkpoint);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scope.run(() -> { }));
        assertTrue(e.getMessage().contains("entered only once"), e.getMessage());
    }

    @WeftTest
    @Async
    void run_scopeReenteredFromInside_throwsIllegalState() {
        CancelScope scope = new CancelScope();
        List<String> log = new ArrayList<>();
        scope.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> scope.call(() -> log.add("inner body ran")));
            assertTrue(e.getMessage().contains("entered only once"), e.getMessage());
        });
        assertTrue(log.isEmpty());
    }

    @WeftTest
    @Async
    void run_scopeHeldByAnotherTask_throwsIllegalState() {
        CancelScope scope = new CancelScope();
        Nursery.open(n -> {
            n.startSoon("holder", () -> scope.run(Weft::sleepForever));
            Testing.waitAllTasksBlocked();
            assertThrows(IllegalStateException.class, () -> scope.run(() -> { }));
            n.cancelScope().cancel();
        });
    }

    // ---------------------------------------------------------------- reasons

    @WeftTest
    @Async
    void cancel_withReason_firstReasonWinsAndAppearsInMessage() {
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel("pigs flying");
            scope.cancel("second reason");
            scope.setDeadline(Double.NEGATIVE_INFINITY);
            Cancelled c = assertThrows(Cancelled.class, Weft::checkpoint);
            assertEquals(CancelReason.Source.EXPLICIT, c.reason().source());
            assertEquals("pigs flying", c.reason().detail());
            assertEquals("main", c.reason().task());
            assertEquals("cancelled explicitly by task 'main': pigs flying; raised in task 'main'", c.getMessage());
        });
        assertEquals("pigs flying", scope.cancelReason().detail());
    }

    @WeftTest
    @Async
    void cancel_fromAnotherTask_namesTheCancellerAndTheVictim() {
        CancelScope scope = new CancelScope();
        AtomicReference<Cancelled> seen = new AtomicReference<>();
        Nursery.open(n -> {
            n.startSoon("victim", () -> scope.run(() -> {
                try {
                    Weft.sleepForever();
                } catch (Cancelled c) {
                    seen.set(c);
                    throw c;
                }
            }));
            n.startSoon("canceller", () -> {
                Testing.waitAllTasksBlocked();
                scope.cancel("done waiting");
            });
        });
        Cancelled c = seen.get();
        assertEquals(CancelReason.Source.EXPLICIT, c.reason().source());
        assertEquals("canceller", c.reason().task());
        assertTrue(c.getMessage().contains("by task 'canceller': done waiting"), c.getMessage());
        assertTrue(c.getMessage().endsWith("raised in task 'victim'"), c.getMessage());
        assertTrue(scope.cancelledCaught());
    }

    @WeftTest
    @Async
    void deadline_cancelsFirst_laterCancelKeepsDeadlineReason() {
        CancelScope scope = CancelScope.withDeadline(Double.NEGATIVE_INFINITY);
        scope.run(() -> {
            Cancelled c = assertThrows(Cancelled.class, Weft::checkpoint);
            assertEquals(CancelReason.Source.DEADLINE, c.reason().source());
            assertTrue(c.getMessage().startsWith("cancelled by a deadline"), c.getMessage());
            scope.cancel("too late");
            Cancelled again = assertThrows(Cancelled.class, Weft::checkpoint);
            assertEquals(CancelReason.Source.DEADLINE, again.reason().source());
        });
    }

    @WeftTest
    @Async
    void cancel_nestedScopes_cancelledCarriesOutermostReason() {
        CancelScope outer = new CancelScope();
        CancelScope inner = new CancelScope();
        outer.run(() -> inner.run(() -> {
            inner.cancel("inner");
            outer.cancel("outer");
            Cancelled c = assertThrows(Cancelled.class, Weft::checkpoint);
            assertEquals("outer", c.reason().detail());
            throw c;
        }));
        assertTrue(outer.cancelledCaught());
        assertFalse(inner.cancelledCaught());
    }

    @WeftTest
    @Async
    void childFails_siblingCancelled_reasonNamesTheFailure() {
        AtomicReference<Cancelled> seen = new AtomicReference<>();
        FailureGroup g = assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon("sibling", () -> {
                try {
                    Weft.sleepForever();
                } catch (Cancelled c) {
                    seen.set(c);
                    throw c;
                }
            });
            n.startSoon("failer", () -> {
                Testing.waitAllTasksBlocked();
                throw new IOException("boom");
            });
        }));
        assertInstanceOf(IOException.class, g.failures().get(0));
        CancelReason why = seen.get().reason();
        assertEquals(CancelReason.Source.NURSERY, why.source());
        assertTrue(why.detail().contains("'failer'") && why.detail().contains("boom"), why.detail());
    }

    @WeftTest
    @Async
    void blockFails_childCancelled_reasonNamesTheBlock() {
        AtomicReference<Cancelled> seen = new AtomicReference<>();
        assertThrows(FailureGroup.class, () -> Nursery.open(n -> {
            n.startSoon("child", () -> {
                try {
                    Weft.sleepForever();
                } catch (Cancelled c) {
                    seen.set(c);
                    throw c;
                }
            });
            Testing.waitAllTasksBlocked();
            throw new IOException("block failed");
        }));
        CancelReason why = seen.get().reason();
        assertEquals(CancelReason.Source.NURSERY, why.source());
        assertTrue(why.detail().contains("the block of the nursery of task 'main'")
                && why.detail().contains("block failed"), why.detail());
        assertTrue(seen.get().getMessage().endsWith("raised in task 'child'"), seen.get().getMessage());
    }

    @Test
    void cancelled_publicApi_hasNoConstructorAndIsAFinalError() {
        assertEquals(0, Cancelled.class.getConstructors().length);
        assertTrue(java.lang.reflect.Modifier.isFinal(Cancelled.class.getModifiers()));
        assertTrue(Error.class.isAssignableFrom(Cancelled.class));
    }

    // ---------------------------------------------------------------- effective deadline

    @WeftTest
    @Async
    void currentEffectiveDeadline_nestedScopesAndShield_reportsTheDeadlineInEffect(MockClock clock) {
        assertEquals(Double.POSITIVE_INFINITY, Weft.currentEffectiveDeadline());
        CancelScope scope1 = CancelScope.withDeadline(5);
        CancelScope scope2 = CancelScope.withDeadline(10);
        scope1.run(() -> {
            scope2.run(() -> {
                assertEquals(5.0, Weft.currentEffectiveDeadline());
                scope2.setDeadline(3);
                assertEquals(3.0, Weft.currentEffectiveDeadline());
                scope2.setDeadline(10);
                assertEquals(5.0, Weft.currentEffectiveDeadline());
                scope2.setShield(true);
                assertEquals(10.0, Weft.currentEffectiveDeadline());
                scope2.setShield(false);
                assertEquals(5.0, Weft.currentEffectiveDeadline());
                scope1.cancel();
                assertEquals(Double.NEGATIVE_INFINITY, Weft.currentEffectiveDeadline());
                scope2.setShield(true);
                assertEquals(10.0, Weft.currentEffectiveDeadline());
            });
            assertEquals(Double.NEGATIVE_INFINITY, Weft.currentEffectiveDeadline());
        });
        assertEquals(Double.POSITIVE_INFINITY, Weft.currentEffectiveDeadline());
    }

    @WeftTest
    @Async
    void currentEffectiveDeadline_inChild_includesNurseryScopes() {
        CancelScope.withDeadline(42).run(() -> Nursery.open(n -> n.startSoon(() -> {
            assertEquals(42.0, Weft.currentEffectiveDeadline());
            assertEquals("task-" + Lowlevel.currentTask().id(), Lowlevel.currentTask().name());
        })));
    }
}
