package dev.weft.weaver.testing;

import dev.weft.AsyncCallable;
import dev.weft.annotation.Async;
import dev.weft.internal.Woven;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A task entry that calls a static {@code @Async} method of a class loaded in another
 * loader. Hand-written to the woven protocol: it is a pass-through frame (nothing after
 * the call), so it is marked as woven and suspensions may unwind through it.
 */
@Woven(Woven.HAND_WRITTEN)
public final class ReflectiveEntry implements AsyncCallable<Object> {
    private final Method method;

    /** @param method a static, no-argument {@code @Async} method */
    public ReflectiveEntry(Method method) {
        this.method = method;
    }

    @Async
    @Override
    public Object call() throws Exception {
        try {
            return method.invoke(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }
}
