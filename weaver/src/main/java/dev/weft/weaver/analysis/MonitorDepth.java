package dev.weft.weaver.analysis;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * How many monitors may be held before each instruction: a forward data flow over normal
 * and exception edges, {@code MONITORENTER} adding one and {@code MONITOREXIT} taking one,
 * merged by maximum so the answer is never lower than the truth.
 */
public final class MonitorDepth {
    private static final int CAP = 64;

    private MonitorDepth() {
    }

    /**
     * @param method a method with code
     * @return for each instruction index, the most monitors that may be held before it
     *     (not counting the method's own {@code synchronized} monitor)
     */
    public static int[] compute(MethodNode method) {
        InsnList insns = method.instructions;
        int n = insns.size();
        int[] depth = new int[n];
        Arrays.fill(depth, -1);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        if (n == 0) {
            return depth;
        }
        depth[0] = 0;
        work.add(0);
        while (!work.isEmpty()) {
            int i = work.poll();
            AbstractInsnNode insn = insns.get(i);
            int d = depth[i];
            int after = switch (insn.getOpcode()) {
                case Opcodes.MONITORENTER -> Math.min(CAP, d + 1);
                case Opcodes.MONITOREXIT -> Math.max(0, d - 1);
                default -> d;
            };
            for (TryCatchBlockNode tc : method.tryCatchBlocks) {
                if (insns.indexOf(tc.start) <= i && i < insns.indexOf(tc.end)) {
                    flow(depth, work, insns.indexOf(tc.handler), d);
                }
            }
            int op = insn.getOpcode();
            if (insn instanceof JumpInsnNode j) {
                flow(depth, work, insns.indexOf(j.label), after);
            } else if (insn instanceof TableSwitchInsnNode t) {
                flow(depth, work, insns.indexOf(t.dflt), after);
                t.labels.forEach(l -> flow(depth, work, insns.indexOf(l), after));
            } else if (insn instanceof LookupSwitchInsnNode t) {
                flow(depth, work, insns.indexOf(t.dflt), after);
                t.labels.forEach(l -> flow(depth, work, insns.indexOf(l), after));
            }
            boolean fallsThrough = op != Opcodes.GOTO && op != Opcodes.ATHROW && op != Opcodes.TABLESWITCH
                    && op != Opcodes.LOOKUPSWITCH && !(op >= Opcodes.IRETURN && op <= Opcodes.RETURN);
            if (fallsThrough && i + 1 < n) {
                flow(depth, work, i + 1, after);
            }
        }
        return depth;
    }

    private static void flow(int[] depth, ArrayDeque<Integer> work, int target, int d) {
        if (d > depth[target]) {
            depth[target] = d;
            work.add(target);
        }
    }
}
