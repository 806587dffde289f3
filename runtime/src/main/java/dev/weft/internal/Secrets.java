package dev.weft.internal;

import dev.weft.CancelReason;
import dev.weft.Cancelled;
import dev.weft.FailureGroup;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Lets the scheduler create the public exceptions whose constructors are private, such as
 * {@link Cancelled}, so user code cannot forge them, and reach their package-private
 * operations, such as {@link FailureGroup}'s removal of cancellations (the JDK's
 * {@code SharedSecrets} idea). Each such class registers its factory from its static
 * initializer.
 */
public final class Secrets {
    private static BiFunction<CancelReason, String, Cancelled> cancelledFactory;
    private static UnaryOperator<FailureGroup> withoutCancelled;

    private Secrets() {
    }

    /**
     * Registers the factory for {@link Cancelled}; called once by its static initializer.
     *
     * @param factory makes a {@code Cancelled} from a reason and the name of the task it is
     *     raised in
     */
    public static void setCancelledFactory(BiFunction<CancelReason, String, Cancelled> factory) {
        cancelledFactory = factory;
    }

    /**
     * Creates a {@link Cancelled}.
     *
     * @param reason why its scope was cancelled
     * @param taskName the task it is raised in, or null
     * @return a new exception
     */
    public static Cancelled newCancelled(CancelReason reason, String taskName) {
        if (cancelledFactory == null) {
            initialize(Cancelled.class);
        }
        return cancelledFactory.apply(reason, taskName);
    }

    /**
     * Registers {@link FailureGroup}'s own filter; called once by its static initializer.
     *
     * @param filter returns the group without its {@link Cancelled} members, or null if
     *     nothing else is left
     */
    public static void setWithoutCancelled(UnaryOperator<FailureGroup> filter) {
        withoutCancelled = filter;
    }

    /**
     * Returns {@code g} without its {@link Cancelled} members (looking through nested groups),
     * or null if nothing else is left.
     *
     * @param g a group; its class is initialized, so the filter is registered
     * @return the filtered group, or null
     */
    public static FailureGroup withoutCancelled(FailureGroup g) {
        return withoutCancelled.apply(g);
    }

    private static void initialize(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
