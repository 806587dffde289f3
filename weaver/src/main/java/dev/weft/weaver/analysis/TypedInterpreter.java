package dev.weft.weaver.analysis;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * ASM's {@link SimpleVerifier} with the class hierarchy read from class files instead of
 * loaded classes, and with {@code NEW} results tracked as {@link UninitializedValue}.
 *
 * <p>In {@linkplain #TypedInterpreter(ClassHierarchy, String, String, List, boolean, boolean)
 * checking} mode it verifies as the JVM would (used on woven output); otherwise it only
 * computes the exact type of every local and stack slot (used on input, where the JVM has
 * the final word).
 */
public final class TypedInterpreter extends SimpleVerifier {
    private final ClassHierarchy hierarchy;
    private final boolean checking;

    /**
     * @param hierarchy where supertypes are read
     * @param owner internal name of the class whose method is analysed
     * @param superName its superclass
     * @param interfaces its interfaces
     * @param ownerIsInterface whether it is an interface
     * @param checking whether to report type errors
     */
    public TypedInterpreter(ClassHierarchy hierarchy, String owner, String superName, List<String> interfaces,
                            boolean ownerIsInterface, boolean checking) {
        super(Opcodes.ASM9, Type.getObjectType(owner), superName == null ? null : Type.getObjectType(superName),
                interfaces.stream().map(Type::getObjectType).toList(), ownerIsInterface);
        this.hierarchy = hierarchy;
        this.checking = checking;
    }

    @Override
    public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.NEW) {
            return new UninitializedValue(Type.getObjectType(((TypeInsnNode) insn).desc), insn);
        }
        return super.newOperation(insn);
    }

    @Override
    public BasicValue merge(BasicValue a, BasicValue b) {
        if (a instanceof UninitializedValue || b instanceof UninitializedValue) {
            return a.equals(b) ? a : BasicValue.UNINITIALIZED_VALUE;
        }
        return super.merge(a, b);
    }

    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
        return !checking || super.isSubTypeOf(value, expected);
    }

    @Override
    protected boolean isInterface(Type type) {
        return type.getSort() == Type.OBJECT && hierarchy.isInterface(type.getInternalName());
    }

    @Override
    protected Type getSuperClass(Type type) {
        if (type.getSort() != Type.OBJECT) {
            return Type.getObjectType("java/lang/Object");
        }
        return hierarchy.find(type.getInternalName())
                .map(ClassInfo::superName)
                .map(Type::getObjectType)
                .orElse(type.getInternalName().equals("java/lang/Object") ? null : Type.getObjectType("java/lang/Object"));
    }

    @Override
    protected boolean isAssignableFrom(Type to, Type from) {
        if (to.equals(from)) {
            return true;
        }
        if (to.getSort() == Type.ARRAY) {
            if (from.getSort() != Type.ARRAY) {
                return false;
            }
            Type te = Type.getType(to.getDescriptor().substring(1));
            Type fe = Type.getType(from.getDescriptor().substring(1));
            boolean refs = (te.getSort() == Type.OBJECT || te.getSort() == Type.ARRAY)
                    && (fe.getSort() == Type.OBJECT || fe.getSort() == Type.ARRAY);
            return refs ? isAssignableFrom(te, fe) : te.equals(fe);
        }
        String toName = to.getInternalName();
        if (from.getSort() == Type.ARRAY) {
            return toName.equals("java/lang/Object") || toName.equals("java/lang/Cloneable")
                    || toName.equals("java/io/Serializable");
        }
        if (hierarchy.isInterface(toName) && !checking) {
            return hierarchy.isAssignable(toName, from.getInternalName());
        }
        if (hierarchy.isInterface(toName)) {
            // The JVM's verifier lets any reference stand where an interface is expected.
            return true;
        }
        return hierarchy.isAssignable(toName, from.getInternalName());
    }

    @Override
    protected Class<?> getClass(Type type) {
        throw new UnsupportedOperationException("the weaver never loads classes; asked for " + type);
    }
}
