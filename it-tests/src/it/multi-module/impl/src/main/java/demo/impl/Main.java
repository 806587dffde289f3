package demo.impl;

import demo.api.Greeter;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.time.Duration;

public class Main {
    @Async
    static String politely(String name) {
        Weft.sleep(Duration.ofMillis(10));
        return "good day " + name;
    }

    public static void main(String[] args) throws Exception {
        Greeter slow = new SlowGreeter();
        Greeter shouting = name -> {
            Weft.checkpoint();
            return slow.greet(name).toUpperCase();
        };
        Greeter polite = Main::politely;
        String[] results = new String[3];
        Weft.run(() -> Nursery.open(n -> {
            n.startSoon(() -> results[0] = slow.greetBoth("ann", "bob"));
            n.startSoon(() -> results[1] = shouting.greetBoth("cy", "dee"));
            n.startSoon(() -> results[2] = polite.greet("eve"));
        }));
        System.out.println("java:      " + System.getProperty("java.specification.version"));
        System.out.println("class:     " + results[0]);
        System.out.println("lambda:    " + results[1]);
        System.out.println("reference: " + results[2]);
    }
}
