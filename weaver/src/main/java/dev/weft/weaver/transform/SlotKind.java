package dev.weft.weaver.transform;

import dev.weft.weaver.analysis.UninitializedValue;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.BasicValue;

/** How one local or stack value is saved to and restored from the frame store. */
enum SlotKind {
    INT("Int", 'I', Opcodes.ILOAD, Opcodes.ISTORE),
    FLOAT("Float", 'F', Opcodes.FLOAD, Opcodes.FSTORE),
    LONG("Long", 'J', Opcodes.LLOAD, Opcodes.LSTORE),
    DOUBLE("Double", 'D', Opcodes.DLOAD, Opcodes.DSTORE),
    REF("Ref", 'L', Opcodes.ALOAD, Opcodes.ASTORE),
    /** Known to hold null: nothing is saved, null is pushed back. */
    NULL(null, 'L', Opcodes.ALOAD, Opcodes.ASTORE),
    /** No usable value (unset, or the second word of a long): neither saved nor restored. */
    NONE(null, ' ', -1, -1),
    /** An object under construction: cannot be saved. */
    UNINITIALIZED(null, ' ', -1, -1);

    final String suffix;
    final char descriptorChar;
    final int load;
    final int store;

    SlotKind(String suffix, char descriptorChar, int load, int store) {
        this.suffix = suffix;
        this.descriptorChar = descriptorChar;
        this.load = load;
        this.store = store;
    }

    /** @return whether values of this kind go into the frame store */
    boolean isSaved() {
        return suffix != null;
    }

    /** @return the descriptor the push method takes its value as */
    String pushValueDescriptor() {
        return this == REF ? "Ljava/lang/Object;" : String.valueOf(descriptorChar);
    }

    int size() {
        return this == LONG || this == DOUBLE ? 2 : 1;
    }

    static SlotKind of(BasicValue v) {
        if (v instanceof UninitializedValue) {
            return UNINITIALIZED;
        }
        if (v == null || v.getType() == null) {
            return NONE;
        }
        Type t = v.getType();
        return switch (t.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> INT;
            case Type.FLOAT -> FLOAT;
            case Type.LONG -> LONG;
            case Type.DOUBLE -> DOUBLE;
            case Type.OBJECT -> t.getInternalName().equals("null") ? NULL : REF;
            case Type.ARRAY -> REF;
            default -> NONE;
        };
    }
}
