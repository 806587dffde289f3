package demo;

import dev.weft.Weft;
import dev.weft.annotation.Async;
import java.time.Duration;
import java.util.List;

public class Bad {
    @Async
    static void fetch(String url) {
        Weft.sleep(Duration.ofMillis(1));
    }

    static void fetchFirst(List<String> urls) {
        fetch(urls.get(0));
    }

    @Async
    static void fetchAll(List<String> urls) {
        urls.forEach(url -> fetch(url));
    }
}
