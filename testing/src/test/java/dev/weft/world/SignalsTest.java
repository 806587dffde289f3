package dev.weft.world;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.process.ProcessOptions;
import dev.weft.process.Processes;
import dev.weft.signal.SignalReceiver;
import dev.weft.signal.Signals;
import dev.weft.testing.WeftTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code Signals.receive}: real signals sent to this JVM with {@code kill}. Every signal a test
 * sends is accounted for before the test ends (taken by a receiver, or by the recording
 * handlers installed around each test), so none reaches the JVM's default action, which for
 * USR1 and USR2 ends the process.
 *
 * <p>On HotSpot 17 and 25 (Linux), USR1, USR2, HUP and WINCH can be handled (checked by hand
 * with {@code sun.misc.Signal.handle} and {@code kill}); QUIT is refused ("Signal already used
 * by VM or OS"), and every signal is refused under {@code -Xrs}. These tests use USR1 and USR2.
 * Ported in spirit from python-trio/trio {@code src/trio/_tests/test_signals.py}.
 */
@EnabledOnOs(OS.LINUX)
class SignalsTest {
    private static final Signal USR1 = new Signal("USR1");
    private static final Signal USR2 = new Signal("USR2");

    /** Signals that reached the recording handlers, i.e. no receiver. */
    private final List<String> outside = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch outsideOne = new CountDownLatch(1);
    private SignalHandler usr1Before;
    private SignalHandler usr2Before;

    @BeforeEach
    void installRecordingHandlers() {
        SignalHandler record = sig -> {
            outside.add(sig.getName());
            outsideOne.countDown();
        };
        usr1Before = Signal.handle(USR1, record);
        usr2Before = Signal.handle(USR2, record);
    }

    @AfterEach
    void restoreHandlers() {
        Signal.handle(USR1, usr1Before);
        Signal.handle(USR2, usr2Before);
    }

    /** Sends {@code name} to this JVM with {@code kill}, and waits for kill to exit. */
    @Async
    private static void kill(String name) throws Exception {
        Processes.run(ProcessOptions.command("kill", "-" + name, Long.toString(ProcessHandle.current().pid())));
    }

    @WeftTest
    @Async
    void receive_usr1SentToThisJvm_isDeliveredToTheBlockAsItsNumber() throws Exception {
        AtomicReference<Integer> got = new AtomicReference<>();
        Signals.receive(Set.of("USR1"), signals -> {
            kill("USR1");
            got.set(signals.next());
        });
        assertEquals(Signals.number("USR1"), got.get());
        assertEquals(10, Signals.number("SIGUSR1"), "Linux numbering");
        assertEquals(List.of(), outside, "the block took it, not the previous handler");
    }

    @WeftTest
    @Async
    void receive_twoSignalsOneAfterTheOther_eachIsDeliveredOnce() throws Exception {
        List<Integer> got = new ArrayList<>();
        Signals.receive(Set.of("USR1", "SIGUSR2"), signals -> {
            kill("USR2");
            got.add(signals.next());
            kill("USR1");
            got.add(signals.next());
            assertEquals(0, signals.pendingCount());
        });
        assertEquals(List.of(Signals.number("USR2"), Signals.number("USR1")), got);
    }

    @WeftTest
    @Async
    void receive_afterTheBlock_previousHandlerIsBack() throws Exception {
        Signals.receive(Set.of("USR2"), signals -> {
            kill("USR2");
            signals.next();
        });
        kill("USR2");
        ThreadsTest.awaitOnWorker(outsideOne);
        assertEquals(List.of("USR2"), outside);
    }

    @WeftTest
    @Async
    void receive_signalNotTakenBeforeTheBlockExits_isRedeliveredToThePreviousHandler() throws Exception {
        AtomicReference<Integer> taken = new AtomicReference<>();
        Signals.receive(Set.of("USR1", "USR2"), signals -> {
            kill("USR1");
            kill("USR2");
            taken.set(signals.next());
            // The other one is pending now or still on its way; either way it must not be lost.
        });
        ThreadsTest.awaitOnWorker(outsideOne);
        String other = taken.get() == Signals.number("USR1") ? "USR2" : "USR1";
        assertEquals(List.of(other), outside);
    }

    @WeftTest
    @Async
    void next_afterTheBlockExited_throwsClosedResource() throws Exception {
        AtomicReference<SignalReceiver> escaped = new AtomicReference<>();
        Signals.receive(Set.of("USR1"), escaped::set);
        assertThrows(ClosedResourceException.class, () -> escaped.get().next());
    }

    @WeftTest
    @Async
    void receive_quit_isRefusedAndNoHandlerChanges() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Signals.receive(Set.of("USR1", "QUIT"), signals -> {
                    throw new AssertionError("the body must not run");
                }));
        assertTrue(e.getMessage().contains("QUIT"), e.getMessage());
        // USR1 went back to the recording handler.
        kill("USR1");
        ThreadsTest.awaitOnWorker(outsideOne);
        assertEquals(List.of("USR1"), outside);
    }

    @WeftTest
    @Async
    void receive_unknownOrNoSignal_throwsIllegalArgument() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Signals.receive(Set.of("NOSUCHSIGNAL"), signals -> { }));
        assertTrue(unknown.getMessage().contains("NOSUCHSIGNAL"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signals.receive(Set.of(), signals -> { }));
        assertNotEquals(Signals.number("HUP"), Signals.number("USR1"));
        Weft.currentTime();
    }
}
