package demo.api;

import dev.weft.annotation.Async;

public interface Greeter {
    @Async
    String greet(String name);

    @Async
    default String greetBoth(String first, String second) {
        return greet(first) + ", " + greet(second);
    }
}
