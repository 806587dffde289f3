package dev.weft.testing;

import dev.weft.annotation.Async;
import dev.weft.testing.FaultyStream.Fault;
import org.opentest4j.AssertionFailedError;

/**
 * Each clogged check of {@link StreamChecks} ({@link CloggedStreamChecks}) fails, with an
 * {@link AssertionFailedError} and without hanging, on a stream that breaks the rule it
 * checks (issue 7). That the checks pass on working streams is shown by
 * {@code dev.weft.stream.MemoryStreamsTest}, {@code StapledStreamTest} and
 * {@code SocketStreamChecksTest}.
 */
class CloggedStreamChecksTest {

    @WeftTest
    @Async
    void waitReturnsOnceTheReceiverReceives_waitReturnsAtOnce_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .waitSendAllMightNotBlock_returnsOnceTheReceiverReceives(FaultyStream.cloggedPair(Fault.WAIT_RETURNS_AT_ONCE)));
    }

    @WeftTest
    @Async
    void concurrentWaits_waitNeverBusy_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .concurrentWaits_oneIsBusy(FaultyStream.cloggedPair(Fault.WAIT_NEVER_RETURNS)));
    }

    @WeftTest
    @Async
    void concurrentWaitAndSend_waitNeverBusy_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .concurrentWaitAndSend_oneIsBusy(FaultyStream.cloggedPair(Fault.WAIT_NEVER_RETURNS)));
    }

    @WeftTest
    @Async
    void concurrentBlockedSends_sendsQueueUp_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .concurrentBlockedSends_oneIsBusy(FaultyStream.cloggedPair(Fault.SENDS_QUEUE_UP)));
    }

    @WeftTest
    @Async
    void blockedWaitReceiverClosed_waitReturnsAtOnce_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .blockedWait_receiverClosed_returns(FaultyStream.cloggedPair(Fault.WAIT_RETURNS_AT_ONCE)));
    }

    @WeftTest
    @Async
    void blockedWaitReceiverClosed_waitNeverReturns_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .blockedWait_receiverClosed_returns(FaultyStream.cloggedPair(Fault.WAIT_NEVER_RETURNS)));
    }

    @WeftTest
    @Async
    void waitAfterReceiverClosed_waitNeverReturns_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .wait_afterReceiverClosed_returns(FaultyStream.cloggedPair(Fault.WAIT_NEVER_RETURNS)));
    }

    @WeftTest
    @Async
    void blockedSendAllSenderClosed_sendAllIgnoresClose_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .blockedSendAll_senderClosedByAnotherTask_throwsClosed(FaultyStream.cloggedPair(Fault.SEND_ALL_IGNORES_CLOSE)));
    }

    @WeftTest
    @Async
    void blockedWaitSenderClosed_waitReturnsAtOnce_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .blockedWait_senderClosedByAnotherTask_throwsClosed(FaultyStream.cloggedPair(Fault.WAIT_RETURNS_AT_ONCE)));
    }

    @WeftTest
    @Async
    void blockedWaitSenderClosed_waitNeverReturns_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .blockedWait_senderClosedByAnotherTask_throwsClosed(FaultyStream.cloggedPair(Fault.WAIT_NEVER_RETURNS)));
    }

    @WeftTest
    @Async
    void blockedSendAllCancelled_sendAllSwallowsCancelled_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .blockedSendAll_cancelled_throwsCancelled(FaultyStream.cloggedPair(Fault.SEND_ALL_SWALLOWS_CANCELLED)));
    }

    @WeftTest
    @Async
    void sendEofWhileSendAllBlocked_sendEofIgnoresBusy_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .sendEof_whileSendAllBlocked_isBusy(FaultyStream.cloggedPair(Fault.SEND_EOF_IGNORES_BUSY)));
    }

    @WeftTest
    @Async
    void sendEofWhileWaitBlocked_sendEofIgnoresBusy_fails() {
        Testing.assertThrows(AssertionFailedError.class, () -> CloggedStreamChecks
                .sendEof_whileWaitBlocked_isBusy(FaultyStream.cloggedPair(Fault.SEND_EOF_IGNORES_BUSY)));
    }

    @WeftTest
    @Async
    void checkHalfCloseableStream_faultyCloggedFactory_fails() throws Exception {
        Testing.assertThrows(AssertionFailedError.class, () -> StreamChecks.checkHalfCloseableStream(
                MemoryStreams::lockstepStreamPair, () -> FaultyStream.cloggedPair(Fault.WAIT_RETURNS_AT_ONCE)));
    }
}
