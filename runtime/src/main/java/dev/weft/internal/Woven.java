package dev.weft.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The marker the weaver leaves on every class it has transformed, so that a class is never
 * woven twice.
 *
 * <p>Retained at run time: when a woven method's caller is not the frame it expected, the
 * runtime walks the stack and asks each frame's class whether it carries this marker.
 *
 * <p>The weaver writes it itself (by the descriptor {@code Ldev/weft/internal/Woven;}); it
 * appears in sources only on runtime classes whose {@code @Async} leaf methods are written
 * by hand to the woven calling convention, with {@link #HAND_WRITTEN} as the version, so
 * that the weaver reads their annotations but never rewrites them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Woven {
    /** The version of a class whose suspension protocol is written by hand. */
    int HAND_WRITTEN = 0;

    /**
     * The weaving format version. The weaver skips a class carrying its own version and
     * refuses one carrying another, which must be rebuilt from source.
     *
     * @return the version
     */
    int value();
}
