package dev.weft.internal;

/** Rethrows any {@link Throwable} without wrapping it, for code that must propagate a task's failure bare. */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} as is.
     *
     * @param t what to throw
     * @return never returns; typed so callers can write {@code throw Sneaky.rethrow(t)}
     */
    public static RuntimeException rethrow(Throwable t) {
        throw Sneaky.<RuntimeException>doThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T doThrow(Throwable t) throws T {
        throw (T) t;
    }
}
