package dev.weft.weaver.analysis;

import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * The JVMS verification type {@code uninitialized(offset)}: the result of a {@code NEW}
 * whose constructor has not run yet. Such a value cannot be stored in the frame store, so
 * the weaver must move the {@code NEW} past any suspension point it would cross.
 */
public final class UninitializedValue extends BasicValue {
    private final AbstractInsnNode newInsn;

    /**
     * @param type the class being constructed
     * @param newInsn the {@code NEW} instruction that made the value
     */
    public UninitializedValue(Type type, AbstractInsnNode newInsn) {
        super(type);
        this.newInsn = newInsn;
    }

    /** @return the {@code NEW} instruction that made this value */
    public AbstractInsnNode newInsn() {
        return newInsn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UninitializedValue u && u.newInsn == newInsn;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(newInsn);
    }

    @Override
    public String toString() {
        return "uninitialized(" + getType().getInternalName() + ")";
    }
}
