package dev.weft.weaver.analysis;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;

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
        List<List<Integer>> handlers = ControlFlow.handlers(method);
        List<List<Integer>> next = ControlFlow.successors(method, false);
        depth[0] = 0;
        work.add(0);
        while (!work.isEmpty()) {
            int i = work.poll();
            int d = depth[i];
            int after = switch (insns.get(i).getOpcode()) {
                case Opcodes.MONITORENTER -> Math.min(CAP, d + 1);
                case Opcodes.MONITOREXIT -> Math.max(0, d - 1);
                default -> d;
            };
            for (int h : handlers.get(i)) {
                flow(depth, work, h, d); // an exception leaves before the instruction's own effect
            }
            for (int t : next.get(i)) {
                flow(depth, work, t, after);
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
