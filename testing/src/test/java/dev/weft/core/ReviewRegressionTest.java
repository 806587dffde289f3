package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.lowlevel.Lowlevel;
import dev.weft.lowlevel.RunToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Regressions found by reading the runtime, each named for the behaviour it pins. */
class ReviewRegressionTest {

    /**
     * A task whose cancellation is lifted (a scope around it shielded) while it yields inside
     * {@code checkpointIfCancelled} goes on; it used to fail with an {@code AssertionError}.
     */
    @Test
    void checkpointIfCancelled_shieldedWhileYielding_returnsNormally() throws Exception {
        List<String> log = new ArrayList<>();
        Weft.runner().fifoOrder().run(() -> {
            CancelScope outer = new CancelScope();
            outer.run(() -> Nursery.open(n -> {
                CancelScope inner = new CancelScope();
                n.startSoon(() -> inner.run(() -> {
                    Weft.checkpointIfCancelled(); // sees the cancel, yields; the parent shields meanwhile
                    log.add("child passed");
                }));
                outer.cancel("test");
                Weft.cancelShieldedCheckpoint(); // the child runs up to its yield
                inner.setShield(true);
                log.add("parent shielded");
            }));
        });
        assertEquals(List.of("parent shielded", "child passed"), log);
    }

    /**
     * A run started on a worker thread of another run hands its tasks its own token, not the
     * outer run's.
     */
    @Test
    void currentRunToken_inRunStartedOnAWorkerThread_isThatRunsToken() throws Exception {
        AtomicReference<RunToken> outerToken = new AtomicReference<>();
        AtomicReference<RunToken> innerToken = new AtomicReference<>();
        AtomicReference<RunToken> innerTokenAgain = new AtomicReference<>();
        Weft.run(() -> {
            outerToken.set(Lowlevel.currentRunToken());
            Weft.runInThread(() -> Weft.run(() -> {
                innerToken.set(Lowlevel.currentRunToken());
                innerTokenAgain.set(Lowlevel.currentRunToken());
                return null;
            }));
        });
        assertNotSame(outerToken.get(), innerToken.get());
        assertSame(innerToken.get(), innerTokenAgain.get());
    }
}
