package dev.weft.weaver;

/**
 * How the weaver treats its input.
 *
 * @param instrumentAll treat every method as async-capable and every call as a suspension
 *     point, skipping the static rules: a test mode that drives real-world bytecode through
 *     every path of the transformation. Call sites it cannot make resumable (inside a
 *     monitor, with an object under construction in a local) are left plain.
 * @param verify check every woven method's types against the class hierarchy before
 *     returning it
 */
public record WeaveOptions(boolean instrumentAll, boolean verify) {
    /** The normal mode: {@code @Async} methods only, verified. */
    public static final WeaveOptions DEFAULT = new WeaveOptions(false, true);

    /** Instrument-all mode, verified. */
    public static final WeaveOptions INSTRUMENT_ALL = new WeaveOptions(true, true);
}
