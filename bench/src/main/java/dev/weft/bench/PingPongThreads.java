package dev.weft.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The virtual-thread twin of {@code dev.weft.bench.subject.PingPong}: two virtual threads
 * that hand the carrier to each other {@code switches} times in all.
 *
 * <ul>
 *   <li>{@link #yields()}: each thread calls {@link Thread#yield()} {@code switches / 2}
 *       times, the counterpart of {@code Weft.checkpoint()}: a virtual thread that yields
 *       unmounts, goes to the back of the scheduler's queue, and the carrier mounts the other.
 *   <li>{@link #parks()}: the threads take turns through a {@code volatile} turn number;
 *       each passes the turn, {@link LockSupport#unpark}s the other and parks until the turn
 *       is back, the counterpart of {@code Lowlevel.reschedule} followed by
 *       {@code Lowlevel.park}.
 * </ul>
 * A parent virtual thread makes both players, starts them and joins them, so that on one
 * carrier neither runs before the other exists.
 */
final class PingPongThreads {
    private final int switches;

    /** Whose turn it is in {@link #parks()}: 0 or 1. Written by the player that passes it. */
    private volatile int turn;

    /**
     * @param switches switches to make in all, even and at least 2
     */
    PingPongThreads(int switches) {
        if (switches < 2 || switches % 2 != 0) {
            throw new IllegalArgumentException("switches must be even and >= 2, was " + switches);
        }
        this.switches = switches;
    }

    /** Two threads yielding {@code switches / 2} times each. */
    void yields() {
        int each = switches / 2;
        Runnable player = () -> {
            for (int i = 0; i < each; i++) {
                Thread.yield();
            }
        };
        runPair(VirtualThreads.unstarted(player), VirtualThreads.unstarted(player));
    }

    /** Two threads passing a turn back and forth {@code switches} times, parking between turns. */
    void parks() {
        int each = switches / 2;
        Thread[] players = new Thread[2];
        turn = 0;
        for (int p = 0; p < 2; p++) {
            int me = p;
            players[p] = VirtualThreads.unstarted(() -> {
                Thread other = players[1 - me];
                for (int i = 0; i < each; i++) {
                    while (turn != me) {
                        LockSupport.park(this);
                    }
                    turn = 1 - me;
                    LockSupport.unpark(other);
                }
            });
        }
        runPair(players[0], players[1]);
    }

    private static void runPair(Thread first, Thread second) {
        VirtualThreads.join(VirtualThreads.start(() -> {
            first.start();
            second.start();
            VirtualThreads.join(first);
            VirtualThreads.join(second);
        }));
    }
}
