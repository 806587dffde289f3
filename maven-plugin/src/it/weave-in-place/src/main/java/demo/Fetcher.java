package demo;

import dev.weft.annotation.Async;

public class Fetcher {
    @Async
    public static String get(String key) {
        return key;
    }

    @Async
    public static String both() {
        return get("a") + get("b");
    }
}
