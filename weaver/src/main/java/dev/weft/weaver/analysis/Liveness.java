package dev.weft.weaver.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which local variable slots may still be read after each instruction: a backward data
 * flow over normal and exception edges. A slot of a {@code long} or {@code double} is
 * counted by its first word, as the weaver saves it. The weaver saves only live slots
 * across a suspension; a dead one is never read again, so it need not be restored.
 */
public final class Liveness {
    private Liveness() {
    }

    /**
     * @param method a method with code
     * @return for each instruction index, the slots live after it (live on exit)
     */
    public static BitSet[] liveOut(MethodNode method) {
        InsnList insns = method.instructions;
        int n = insns.size();
        List<List<Integer>> succ = ControlFlow.successors(method, true);
        List<List<Integer>> pred = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pred.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int t : succ.get(i)) {
                pred.get(t).add(i);
            }
        }
        BitSet[] in = new BitSet[n];
        BitSet[] out = new BitSet[n];
        for (int i = 0; i < n; i++) {
            in[i] = new BitSet();
            out[i] = new BitSet();
        }
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int i = n - 1; i >= 0; i--) {
            work.add(i);
        }
        boolean[] queued = new boolean[n];
        java.util.Arrays.fill(queued, true);
        while (!work.isEmpty()) {
            int i = work.poll();
            queued[i] = false;
            BitSet o = new BitSet();
            for (int t : succ.get(i)) {
                o.or(in[t]);
            }
            out[i] = o;
            BitSet newIn = (BitSet) o.clone();
            AbstractInsnNode insn = insns.get(i);
            if (insn instanceof VarInsnNode v) {
                int op = v.getOpcode();
                if (op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
                    newIn.clear(v.var);
                    if (op == Opcodes.LSTORE || op == Opcodes.DSTORE) {
                        newIn.clear(v.var + 1);
                    }
                } else {
                    newIn.set(v.var); // loads and RET read the slot
                }
            } else if (insn instanceof IincInsnNode inc) {
                newIn.set(inc.var);
            }
            if (!newIn.equals(in[i])) {
                in[i] = newIn;
                for (int p : pred.get(i)) {
                    if (!queued[p]) {
                        queued[p] = true;
                        work.add(p);
                    }
                }
            }
        }
        return out;
    }
}
