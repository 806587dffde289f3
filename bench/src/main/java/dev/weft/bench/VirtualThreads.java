package dev.weft.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Virtual threads for a module compiled with {@code --release 17}: {@code
 * Thread.startVirtualThread} (JDK 21) found at run time through a method handle.
 */
final class VirtualThreads {
    /** The carrier-count properties the switch benchmark needs on the fork's command line. */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1 "
            + "-Djdk.virtualThreadScheduler.maxPoolSize=1";

    private static final MethodHandle START = find();

    private VirtualThreads() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /**
     * Checks that virtual threads exist and run on one carrier.
     *
     * @throws UnsupportedOperationException if this JVM has no virtual threads, or its
     *     scheduler may use more than one carrier
     */
    static void requireOneCarrier() {
        if (START == null) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or newer, but this fork runs JDK "
                    + Runtime.version() + ": skipping. Run the benchmarks on JDK 25: "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar bench/target/benchmarks.jar");
        }
        if (!"1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"))
                || !"1".equals(System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"))) {
            throw new UnsupportedOperationException("the virtual-thread benchmarks compare one carrier with Weft's one "
                    + "thread, but this fork has parallelism=" + System.getProperty("jdk.virtualThreadScheduler.parallelism")
                    + " and maxPoolSize=" + System.getProperty("jdk.virtualThreadScheduler.maxPoolSize")
                    + ". Fix: pass -jvmArgsAppend \"" + ONE_CARRIER + "\"");
        }
    }

    /**
     * Starts a virtual thread.
     *
     * @param body what it runs
     * @return the started thread
     */
    static Thread start(Runnable body) {
        try {
            return (Thread) START.invokeExact(body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.startVirtualThread failed: " + t, t);
        }
    }
}
