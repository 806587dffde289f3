package dev.weft;

import java.util.Objects;

/**
 * Why a cancel scope was cancelled: the first cause wins and stays, and every
 * {@link Cancelled} the scope raises carries it in its message.
 *
 * @param source what kind of event cancelled the scope
 * @param detail a human description (the reason given to {@link CancelScope#cancel(String)},
 *     the failure that cancelled a nursery, the deadline); never null
 * @param task the name of the task that asked for the cancellation, or null when the
 *     scheduler did (a deadline, an interrupt)
 */
public record CancelReason(Source source, String detail, String task) {

    /** The kinds of event that cancel a scope. */
    public enum Source {
        /** The scope's deadline passed. */
        DEADLINE,
        /** Code called {@link CancelScope#cancel()} or {@link CancelScope#cancel(String)}. */
        EXPLICIT,
        /** A nursery's child or block failed, so the nursery cancelled the rest. */
        NURSERY,
        /** The run was interrupted (Ctrl+C, SIGINT, or {@code Runner} interrupt). */
        INTERRUPT,
        /** The run's main task ended while system tasks were still running. */
        MAIN_EXITED
    }

    /**
     * Creates a reason.
     *
     * @throws NullPointerException if {@code source} or {@code detail} is null
     */
    public CancelReason {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
    }

    /** Returns a one-line description, as used in {@link Cancelled#getMessage()}. */
    @Override
    public String toString() {
        String by = task == null ? "" : " by task '" + task + "'";
        return switch (source) {
            case DEADLINE -> "cancelled by a deadline (" + detail + ")";
            case EXPLICIT -> "cancelled explicitly" + by + ": " + detail;
            case NURSERY -> "cancelled by its nursery: " + detail;
            case INTERRUPT -> "cancelled by an interrupt (" + detail + ")";
            case MAIN_EXITED -> "cancelled because the main task ended (" + detail + ")";
        };
    }
}
