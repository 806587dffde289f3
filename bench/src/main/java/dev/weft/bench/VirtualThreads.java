package dev.weft.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Virtual threads for a module compiled with {@code --release 17}: {@code
 * Thread.startVirtualThread} and {@code Thread.ofVirtual().unstarted(...)} (JDK 21) found
 * at run time through method handles.
 */
final class VirtualThreads {
    /** The carrier-count properties the switch benchmark needs on the fork's command line. */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1 "
            + "-Djdk.virtualThreadScheduler.maxPoolSize=1";

    private static final MethodHandle START = find();
    /** {@code Thread.ofVirtual()}, or null before JDK 21. */
    private static final MethodHandle OF_VIRTUAL = findOfVirtual();
    /** {@code Thread.Builder.unstarted(Runnable)}, or null before JDK 21. */
    private static final MethodHandle UNSTARTED = findUnstarted();

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

    private static MethodHandle findOfVirtual() {
        try {
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            return MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual))
                    .asType(MethodType.methodType(Object.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle findUnstarted() {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            return MethodHandles.publicLookup().findVirtual(builder, "unstarted",
                    MethodType.methodType(Thread.class, Runnable.class))
                    .asType(MethodType.methodType(Thread.class, Object.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
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
     * The virtual-thread scheduler's and I/O pollers' settings of this JVM, as options for
     * another JVM.
     *
     * @return {@code -D<name>=<value>} for every system property {@code
     *     jdk.virtualThreadScheduler.*}, {@code jdk.pollerMode}, {@code jdk.readPollers} and
     *     {@code jdk.writePollers}
     */
    static List<String> schedulerOptions() {
        List<String> options = new ArrayList<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("jdk.virtualThreadScheduler.") || name.equals("jdk.pollerMode")
                    || name.equals("jdk.readPollers") || name.equals("jdk.writePollers")) {
                options.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        Collections.sort(options);
        return options;
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

    /**
     * Makes a virtual thread without starting it.
     *
     * @param body what it will run
     * @return the unstarted thread
     */
    static Thread unstarted(Runnable body) {
        if (OF_VIRTUAL == null || UNSTARTED == null) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or newer, but this JVM is JDK "
                    + Runtime.version());
        }
        try {
            Object builder = (Object) OF_VIRTUAL.invokeExact();
            return (Thread) UNSTARTED.invokeExact(builder, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.ofVirtual().unstarted failed: " + t, t);
        }
    }

    /**
     * Joins {@code thread}, turning an interrupt into an unchecked failure: no benchmark
     * thread is ever interrupted.
     *
     * @param thread the thread to wait for
     */
    static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining " + thread, e);
        }
    }
}
