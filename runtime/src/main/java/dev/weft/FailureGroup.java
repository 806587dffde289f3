package dev.weft;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every failure of a nursery, thrown by {@link Nursery#open} when its block or any of its
 * children failed: the counterpart of Trio's {@code ExceptionGroup}.
 *
 * <p>A nursery always reports its failures in a group, even a single one, so the code that
 * handles them does not depend on how many tasks happened to fail. Each member keeps its own
 * stack trace, and the failure of a child task carries, as a suppressed exception, where the
 * task was spawned. The members are also attached to the group as suppressed exceptions, so
 * a printed stack trace shows every one.
 *
 * <p>To handle one kind of failure, ask the group for it:
 * {@snippet :
 * try {
 *     Nursery.open(n -> {
 *         n.startSoon(() -> fetch(a));
 *         n.startSoon(() -> fetch(b));
 *     });
 * } catch (FailureGroup g) {
 *     g.rethrowIf(IOException.class);   // throws the first IOException, if any
 *     throw g;
 * }
 * }
 *
 * <p>Members that are {@link Cancelled} are removed by the cancel scope that caused them, on
 * the way out: a group never reaches code outside the scopes whose cancellation it carries.
 * A group whose every member is a {@code Cancelled} is never thrown; the first
 * {@code Cancelled} propagates bare instead, so that {@code catch (Exception e)} cannot
 * swallow a cancellation. Groups nest when nurseries nest; the query methods look through
 * nested groups.
 */
public final class FailureGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> failures;
    private final String where;

    static {
        dev.weft.internal.Secrets.setWithoutCancelled(FailureGroup::withoutCancelled);
    }

    FailureGroup(String where, List<Throwable> failures) {
        super(message(where, failures));
        this.where = where;
        this.failures = List.copyOf(failures);
        for (Throwable t : this.failures) {
            addSuppressed(t);
        }
    }

    private static String message(String where, List<Throwable> failures) {
        StringBuilder b = new StringBuilder();
        b.append(failures.size()).append(failures.size() == 1 ? " failure in " : " failures in ").append(where);
        String sep = ": ";
        for (Throwable t : failures) {
            b.append(sep).append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(" (").append(t.getMessage()).append(')');
            }
            sep = "; ";
        }
        return b.toString();
    }

    /**
     * Returns the group's direct members, in the order they failed.
     *
     * @return an unmodifiable list, never empty
     */
    public List<Throwable> failures() {
        return failures;
    }

    /**
     * Returns every member of type {@code type}, looking through nested groups.
     *
     * @param type the kind of failure
     * @param <T> its type
     * @return the matching failures, in order
     */
    public <T extends Throwable> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        collect(type, out);
        return out;
    }

    private <T extends Throwable> void collect(Class<T> type, List<T> out) {
        for (Throwable t : failures) {
            if (type.isInstance(t)) {
                out.add(type.cast(t));
            } else if (t instanceof FailureGroup g) {
                g.collect(type, out);
            }
        }
    }

    /**
     * Returns the first member of type {@code type}, looking through nested groups.
     *
     * @param type the kind of failure
     * @param <T> its type
     * @return the failure, or empty
     */
    public <T extends Throwable> Optional<T> first(Class<T> type) {
        List<T> all = all(type);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Throws the first member of type {@code type}, if there is one; otherwise returns.
     *
     * @param type the kind of failure
     * @param <X> its type
     * @throws X the first such failure
     */
    public <X extends Throwable> void rethrowIf(Class<X> type) throws X {
        Optional<X> f = first(type);
        if (f.isPresent()) {
            throw f.get();
        }
    }

    /**
     * Returns whether every failure, looking through nested groups, is of type {@code type}.
     *
     * @param type the kind of failure
     * @return true if the group holds nothing else
     */
    public boolean allMatch(Class<? extends Throwable> type) {
        for (Throwable t : failures) {
            boolean ok = type.isInstance(t) || (t instanceof FailureGroup g && g.allMatch(type));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns this group without its {@link Cancelled} members (looking through nested
     * groups), or null if nothing else is left.
     */
    FailureGroup withoutCancelled() {
        List<Throwable> kept = new ArrayList<>(failures.size());
        boolean changed = false;
        for (Throwable t : failures) {
            if (t instanceof Cancelled) {
                changed = true;
            } else if (t instanceof FailureGroup g) {
                FailureGroup inner = g.withoutCancelled();
                changed |= inner != g;
                if (inner != null) {
                    kept.add(inner);
                }
            } else {
                kept.add(t);
            }
        }
        if (!changed) {
            return this;
        }
        return kept.isEmpty() ? null : new FailureGroup(where, kept);
    }

    /** Whether the group holds a {@link Cancelled}, looking through nested groups. */
    boolean hasCancelled() {
        return !all(Cancelled.class).isEmpty();
    }
}
