package demo;

import dev.weft.annotation.Async;

public class Bad {
    @Async
    static String leaf() {
        return "leaf";
    }

    static String notAsync() {
        return leaf();
    }

    @Async
    static synchronized String holdsMonitor() {
        return leaf();
    }
}
