package demo.impl;

import demo.api.Greeter;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.time.Duration;

public class SlowGreeter implements Greeter {
    @Async
    @Override
    public String greet(String name) {
        Weft.sleep(Duration.ofMillis(20));
        return "hello " + name;
    }
}
