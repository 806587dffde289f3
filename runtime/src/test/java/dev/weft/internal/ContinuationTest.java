package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.annotation.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver and the frame store, with entries written by hand to the woven protocol. */
class ContinuationTest {

    /** An entry that suspends {@code times} times, collecting what each resumption returns. */
    @Woven(Woven.HAND_WRITTEN)
    static final class Suspender implements AsyncCallable<List<Object>> {
        final int times;
        final List<Object> seen = new ArrayList<>();
        int done;

        Suspender(int times) {
            this.times = times;
        }

        @Async
        @Override
        public List<Object> call() {
            Continuation c = Continuation.current();
            while (done < times) {
                boolean resuming = c.isResuming();
                c.handshake = "suspend";
                Object v = Continuation.suspend();
                if (!resuming) {
                    return null; // unwinding: nothing to save, this entry keeps its state in fields
                }
                seen.add(v);
                done++;
            }
            return seen;
        }
    }

    @Test
    void run_stepsThroughSuspensions_andReturnsTheEntrysValue() {
        Suspender s = new Suspender(2);
        Continuation c = new Continuation(s);
        assertEquals(Continuation.Status.NEW, c.status());
        assertEquals(Continuation.Status.SUSPENDED, c.run());
        c.resumeWith("first");
        assertEquals(Continuation.Status.SUSPENDED, c.run());
        c.resumeWith("second");
        assertEquals(Continuation.Status.DONE, c.run());
        assertEquals(List.of("first", "second"), c.result());
        assertEquals(2, c.suspensions());
    }

    @Test
    void resumeWithFailure_throwsItAtTheSuspensionPoint() {
        Continuation c = new Continuation(new Suspender(1));
        c.run();
        IllegalStateException boom = new IllegalStateException("cancelled");
        c.resumeWithFailure(boom);
        assertEquals(Continuation.Status.DONE, c.run());
        assertSame(boom, c.failure());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::result);
        assertSame(boom, e.getCause());
    }

    @Test
    void runWhenDone_namesTheState() {
        Continuation c = new Continuation(() -> "x");
        c.run();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::run);
        assertEquals("cannot run a continuation: expected NEW or SUSPENDED, but was DONE", e.getMessage());
    }

    @Test
    void resultBeforeDone_namesTheState() {
        Continuation c = new Continuation(() -> "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, c::result);
        assertEquals("no result: expected DONE, but was NEW", e.getMessage());
    }

    @Test
    void frameStore_popsInReverseOrder_everyKindExactly_andGrows() {
        Continuation c = new Continuation(() -> null);
        for (int i = 0; i < 40; i++) {
            Continuation.pushInt(i, c);
            Continuation.pushLong(Long.MIN_VALUE + i, c);
            Continuation.pushFloat(Float.NaN, c);
            Continuation.pushDouble(-0.0, c);
            Continuation.pushRef("r" + i, c);
        }
        assertEquals(200, c.savedSlots());
        for (int i = 39; i >= 0; i--) {
            assertEquals("r" + i, c.popRef());
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(c.popDouble()));
            assertTrue(Float.isNaN(c.popFloat()));
            assertEquals(Long.MIN_VALUE + i, c.popLong());
            assertEquals(i, c.popInt());
        }
        assertEquals(0, c.savedSlots());
    }

    @Test
    void current_outsideAnyRun_isDetachedAndNeverSuspends() {
        assertTrue(!Continuation.isRunningOnThisThread());
        // Through reflection: the weaver refuses a plain callback that calls the leaf.
        var wrapped = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> Continuation.class.getMethod("suspend").invoke(null));
        IllegalStateException e = (IllegalStateException) wrapped.getCause();
        assertTrue(e.getMessage().contains("runs no task"), e.getMessage());
    }

    @Test
    void run_runnableEntry_isCalledDirectlyAndResumesWhereItSuspended() {
        List<String> log = new ArrayList<>();
        AsyncRunnable body = () -> {
            log.add("before");
            Object v = Continuation.suspend();
            log.add("after " + v);
        };
        Continuation c = new Continuation(body);
        assertEquals(Continuation.Status.SUSPENDED, c.run());
        c.resumeWith("x");
        assertEquals(Continuation.Status.DONE, c.run());
        assertEquals(List.of("before", "after x"), log);
        assertEquals(null, c.result());
    }
}
