package dev.weft.testing;

import dev.weft.AsyncCallable;
import dev.weft.annotation.Async;
import dev.weft.internal.Woven;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The main task of a {@link WeftTest}: calls the test method reflectively. Hand-written to
 * the woven protocol: it is a pass-through frame (nothing happens after the call but
 * returning), so it is marked woven, and suspensions may unwind through it and the
 * reflection frames below it.
 */
@Woven(Woven.HAND_WRITTEN)
final class TestEntry implements AsyncCallable<Object> {
    private final Method method;
    private final Object target;
    private final Object[] args;

    TestEntry(Method method, Object target, Object[] args) {
        this.method = method;
        this.target = target;
        this.args = args;
    }

    @Async
    @Override
    public Object call() throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw (Exception) cause;
        }
    }
}
