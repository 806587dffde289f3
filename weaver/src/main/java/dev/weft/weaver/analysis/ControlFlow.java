package dev.weft.weaver.analysis;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/** The control-flow edges of a method's code, by instruction index, for the weaver's data flows. */
final class ControlFlow {
    private ControlFlow() {
    }

    /**
     * @param method a method with code
     * @param withHandlers whether an instruction covered by a try block also flows to its handler
     * @return for each instruction index, the indices it may be followed by
     */
    static List<List<Integer>> successors(MethodNode method, boolean withHandlers) {
        InsnList insns = method.instructions;
        int n = insns.size();
        List<List<Integer>> succ = new ArrayList<>(n);
        List<List<Integer>> handlers = withHandlers ? handlers(method) : null;
        for (int i = 0; i < n; i++) {
            AbstractInsnNode insn = insns.get(i);
            List<Integer> s = new ArrayList<>(2);
            if (withHandlers) {
                s.addAll(handlers.get(i));
            }
            if (insn instanceof JumpInsnNode j) {
                s.add(insns.indexOf(j.label));
            } else if (insn instanceof TableSwitchInsnNode t) {
                s.add(insns.indexOf(t.dflt));
                t.labels.forEach(l -> s.add(insns.indexOf(l)));
            } else if (insn instanceof LookupSwitchInsnNode t) {
                s.add(insns.indexOf(t.dflt));
                t.labels.forEach(l -> s.add(insns.indexOf(l)));
            }
            int op = insn.getOpcode();
            boolean fallsThrough = op != Opcodes.GOTO && op != Opcodes.ATHROW && op != Opcodes.TABLESWITCH
                    && op != Opcodes.LOOKUPSWITCH && op != Opcodes.RET
                    && !(op >= Opcodes.IRETURN && op <= Opcodes.RETURN);
            if (fallsThrough && i + 1 < n) {
                s.add(i + 1);
            }
            succ.add(s);
        }
        return succ;
    }

    /**
     * @param method a method with code
     * @return for each instruction index, the handlers of the try blocks that cover it
     */
    static List<List<Integer>> handlers(MethodNode method) {
        InsnList insns = method.instructions;
        List<List<Integer>> out = new ArrayList<>(insns.size());
        for (int i = 0; i < insns.size(); i++) {
            List<Integer> h = new ArrayList<>(1);
            for (TryCatchBlockNode tc : method.tryCatchBlocks) {
                if (insns.indexOf(tc.start) <= i && i < insns.indexOf(tc.end)) {
                    h.add(insns.indexOf(tc.handler));
                }
            }
            out.add(h);
        }
        return out;
    }
}
