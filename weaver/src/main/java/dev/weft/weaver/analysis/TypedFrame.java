package dev.weft.weaver.analysis;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * A frame that, like the JVM's verifier, turns every copy of an
 * {@link UninitializedValue} into an initialized one when its constructor is called.
 */
public final class TypedFrame extends Frame<BasicValue> {

    TypedFrame(int locals, int stack) {
        super(locals, stack);
    }

    TypedFrame(Frame<? extends BasicValue> frame) {
        super(frame);
    }

    @Override
    public void execute(AbstractInsnNode insn, Interpreter<BasicValue> interpreter) throws AnalyzerException {
        BasicValue receiver = null;
        if (insn.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) insn).name.equals("<init>")) {
            int args = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
            receiver = getStack(getStackSize() - args - 1);
        }
        super.execute(insn, interpreter);
        if (receiver instanceof UninitializedValue u) {
            BasicValue done = interpreter.newValue(u.getType());
            for (int i = 0; i < getLocals(); i++) {
                if (u.equals(getLocal(i))) {
                    setLocal(i, done);
                }
            }
            for (int i = 0; i < getStackSize(); i++) {
                if (u.equals(getStack(i))) {
                    setStack(i, done);
                }
            }
        }
    }

    /**
     * Computes the frame before every instruction of {@code method}.
     *
     * @param interpreter the typing to use
     * @param owner internal name of the method's class
     * @param method the method, with code
     * @return one frame per instruction; null for unreachable instructions
     * @throws AnalyzerException if the code does not type-check
     */
    public static Frame<BasicValue>[] analyze(TypedInterpreter interpreter, String owner, MethodNode method)
            throws AnalyzerException {
        Analyzer<BasicValue> analyzer = new Analyzer<>(interpreter) {
            @Override
            protected Frame<BasicValue> newFrame(int locals, int stack) {
                return new TypedFrame(locals, stack);
            }

            @Override
            protected Frame<BasicValue> newFrame(Frame<? extends BasicValue> frame) {
                return new TypedFrame(frame);
            }
        };
        return analyzer.analyze(owner, method);
    }
}
