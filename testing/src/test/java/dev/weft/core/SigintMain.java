package dev.weft.core;

import dev.weft.Cancelled;
import dev.weft.Nursery;
import dev.weft.RunInterruptedException;
import dev.weft.Weft;
import dev.weft.annotation.Async;

/** A program for {@link SigintTest}: two tasks sleep forever until Ctrl+C (SIGINT) arrives. */
public final class SigintMain {
    private SigintMain() {
    }

    @Async
    static void sleeper(String name) {
        try {
            Weft.sleepForever();
        } catch (Cancelled c) {
            System.out.println(name + " cancelled: " + c.reason().source());
            throw c;
        } finally {
            System.out.println(name + " finally");
        }
    }

    /** @param args unused */
    public static void main(String[] args) throws Exception {
        try {
            Weft.run(() -> Nursery.open(n -> {
                n.startSoon(() -> sleeper("a"));
                n.startSoon(() -> sleeper("b"));
                dev.weft.lowlevel.Lowlevel.waitAllTasksBlocked(0);
                System.out.println("ready");
                System.out.flush();
                Weft.sleepForever();
            }));
        } catch (RunInterruptedException e) {
            System.out.println("run threw RunInterruptedException: " + e.getMessage());
            System.exit(3);
        }
    }
}
