package dev.weft.channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.sync.LockLikeChecks;
import dev.weft.sync.LockLikeChecks.LockLike;
import dev.weft.testing.WeftTest;

/**
 * Three ways to build a lock from memory channels, put through the same checks as the locks
 * of {@code dev.weft.sync}: if channels are fair and hand values off, these locks exclude and
 * rotate exactly as a {@code Lock} does. Ported from python-trio/trio
 * {@code src/trio/_tests/test_sync.py} ({@code ChannelLock1}, {@code ChannelLock2},
 * {@code ChannelLock3}).
 */
class ChannelLockTest {

    /** Holding the lock is having a value in a buffer of {@code capacity} pre-filled to one short of full. */
    static final class ChannelLock1 implements LockLike {
        private final MemoryChannel<String> ch;

        ChannelLock1(int capacity) {
            ch = MemoryChannel.open(capacity);
            for (int i = 0; i < capacity - 1; i++) {
                assertTrue(ch.sender().trySend("filler"));
            }
        }

        @Async
        @Override
        public void acquire() {
            ch.sender().send("held");
        }

        @Override
        public boolean tryAcquire() {
            return ch.sender().trySend("held");
        }

        @Override
        public void release() {
            ch.receiver().tryReceive();
        }
    }

    /** The lock is a token in a buffer: acquiring takes it out, releasing puts it back. */
    static final class ChannelLock2 implements LockLike {
        private final MemoryChannel<String> ch = MemoryChannel.open(10);

        ChannelLock2() {
            assertTrue(ch.sender().trySend("token"));
        }

        @Async
        @Override
        public void acquire() {
            ch.receiver().receive();
        }

        @Override
        public boolean tryAcquire() {
            return ch.receiver().tryReceive() != null;
        }

        @Override
        public void release() {
            assertTrue(ch.sender().trySend("token"));
        }
    }

    /** A rendezvous channel: waiters block in send, and a release takes one of them. */
    static final class ChannelLock3 implements LockLike {
        private final MemoryChannel<String> ch = MemoryChannel.open(0);
        /** True from the first acquire until a release finds nobody waiting. */
        private boolean acquired;

        @Async
        @Override
        public void acquire() {
            if (acquired) {
                ch.sender().send("waiting");
            } else {
                acquired = true;
                Weft.checkpoint();
            }
        }

        @Override
        public boolean tryAcquire() {
            if (acquired) {
                return false;
            }
            acquired = true;
            return true;
        }

        @Override
        public void release() {
            if (ch.receiver().tryReceive() == null) {
                acquired = false;
            }
        }
    }

    @WeftTest
    @Async
    void acquire_bufferedChannelLockOfTen_excludesAndRotates() {
        LockLikeChecks.exclusion(new ChannelLock1(10));
        LockLikeChecks.fifoFairness(new ChannelLock1(10));
        LockLikeChecks.tryAcquireBlocksAcquire(new ChannelLock1(10));
    }

    @WeftTest
    @Async
    void acquire_bufferedChannelLockOfOne_excludesAndRotates() {
        LockLikeChecks.exclusion(new ChannelLock1(1));
        LockLikeChecks.fifoFairness(new ChannelLock1(1));
        LockLikeChecks.tryAcquireBlocksAcquire(new ChannelLock1(1));
    }

    @WeftTest
    @Async
    void acquire_tokenInABufferLock_excludesAndRotates() {
        LockLikeChecks.exclusion(new ChannelLock2());
        LockLikeChecks.fifoFairness(new ChannelLock2());
        LockLikeChecks.tryAcquireBlocksAcquire(new ChannelLock2());
    }

    @WeftTest
    @Async
    void acquire_rendezvousChannelLock_excludesAndRotates() {
        LockLikeChecks.exclusion(new ChannelLock3());
        LockLikeChecks.fifoFairness(new ChannelLock3());
        LockLikeChecks.tryAcquireBlocksAcquire(new ChannelLock3());
    }
}
