package demo;

import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.time.Duration;

public class Main {
    @Async
    static void child(String name) {
        System.out.println(name + ": started");
        Weft.sleep(Duration.ofMillis(50));
        System.out.println(name + ": exiting");
    }

    public static void main(String[] args) throws Exception {
        System.out.println("main: Java " + System.getProperty("java.specification.version"));
        Weft.run(() -> {
            double start = Weft.currentTime();
            Nursery.open(n -> {
                n.startSoon("child1", () -> child("child1"));
                n.startSoon("child2", () -> child("child2"));
            });
            System.out.printf("main: all children exited after %d ms%n",
                    Math.round((Weft.currentTime() - start) * 1000));
        });
    }
}
