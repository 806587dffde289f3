package dev.weft.file;

import dev.weft.annotation.Async;
import java.io.IOException;

/**
 * The body of {@link AsyncFile#with}: async code that works with an open file.
 *
 * @param <T> its value type
 */
@FunctionalInterface
public interface FileBody<T> {
    /**
     * Works with the open file.
     *
     * @param file the file, open
     * @return a value
     * @throws IOException if the work fails
     */
    @Async
    T apply(AsyncFile file) throws IOException;
}
