package demo;

import dev.weft.annotation.Async;

public class FetcherUser {
    @Async
    static String fetch() {
        return Fetcher.both() + Fetcher.get("c");
    }
}
