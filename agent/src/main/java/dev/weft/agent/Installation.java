package dev.weft.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent as installed by {@link WeftAgent#install()}: weaving classes as they load until
 * {@link #close()}.
 *
 * <p>Classes already loaded stay as they are, woven or not, after {@code close()}.
 */
public final class Installation implements AutoCloseable {
    private final Instrumentation instrumentation;
    private final WeavingTransformer transformer;

    Installation(Instrumentation instrumentation, WeavingTransformer transformer) {
        this.instrumentation = instrumentation;
        this.transformer = transformer;
    }

    /** @return the transformer, for tests in this package */
    WeavingTransformer transformer() {
        return transformer;
    }

    /** Stops weaving the classes loaded from now on. Idempotent. */
    @Override
    public void close() {
        instrumentation.removeTransformer(transformer);
    }
}
