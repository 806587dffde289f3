package dev.weft.weaver.transform;

import dev.weft.weaver.ProblemKind;
import dev.weft.weaver.analysis.Names;
import dev.weft.weaver.analysis.UninitializedValue;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Moves object allocation past suspension points: {@code new Foo(bar())} where {@code bar}
 * suspends would leave an uninitialized object on the operand stack, which the frame store
 * cannot hold.
 *
 * <p>javac compiles the expression as {@code NEW Foo; DUP; <args>; INVOKESPECIAL <init>}.
 * The relocator rewrites it to
 * <pre>
 *   NEW Foo; POP                      // class initialization still happens here, as in the source
 *   &lt;args&gt;                            // may now suspend: no uninitialized value is live
 *   xSTORE t1..tn                     // spill the constructor arguments
 *   NEW Foo; DUP; xLOAD t1..tn; INVOKESPECIAL Foo.&lt;init&gt;
 * </pre>
 * Only allocations live across an async call are moved. Any other shape (an uninitialized
 * object kept in a local, a {@code NEW} not followed by {@code DUP}, a constructor call
 * reached from two places) is refused.
 */
final class ConstructionRelocator {
    private ConstructionRelocator() {
    }

    /**
     * @return whether anything was moved (the method must then be analysed again)
     */
    static boolean relocate(MethodNode method, List<MethodInsnNode> sites, Frame<BasicValue>[] frames,
                            Map<AbstractInsnNode, Integer> lines) throws MethodRefusal {
        InsnList insns = method.instructions;
        Set<AbstractInsnNode> news = new LinkedHashSet<>();
        for (MethodInsnNode site : sites) {
            Frame<BasicValue> f = frames[insns.indexOf(site)];
            if (f == null) {
                continue;
            }
            for (int i = 0; i < f.getLocals(); i++) {
                if (f.getLocal(i) instanceof UninitializedValue u) {
                    throw new MethodRefusal(ProblemKind.UNINITIALIZED_ACROSS_CALL, lines.getOrDefault(site, -1),
                            "keeps an object under construction (new " + Names.simpleClass(u.getType().getInternalName())
                                    + ") in local variable " + i + " across the @Async call "
                                    + Names.method(site.owner, site.name, site.desc)
                                    + ". Fix: compile the class with javac, or construct the object after the call.");
                }
            }
            for (int i = 0; i < f.getStackSize(); i++) {
                if (f.getStack(i) instanceof UninitializedValue u) {
                    news.add(u.newInsn());
                }
            }
        }
        Map<MethodInsnNode, Frame<BasicValue>> inits = new IdentityHashMap<>();
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESPECIAL && m.name.equals("<init>")
                    && frames[insns.indexOf(m)] != null) {
                inits.put(m, frames[insns.indexOf(m)]); // before any insertion moves the indices
            }
        }
        for (AbstractInsnNode n : news) {
            relocateOne(method, (TypeInsnNode) n, inits, lines);
        }
        return !news.isEmpty();
    }

    private static void relocateOne(MethodNode method, TypeInsnNode newInsn, Map<MethodInsnNode, Frame<BasicValue>> initFrames,
                                    Map<AbstractInsnNode, Integer> lines) throws MethodRefusal {
        InsnList insns = method.instructions;
        int line = lines.getOrDefault(newInsn, -1);
        AbstractInsnNode dup = newInsn.getNext();
        if (dup == null || dup.getOpcode() != Opcodes.DUP) {
            throw new MethodRefusal(ProblemKind.UNINITIALIZED_ACROSS_CALL, line, "allocates new "
                    + Names.simpleClass(newInsn.desc) + " in a shape javac does not emit (NEW not followed by DUP), "
                    + "and the object under construction would be live across an @Async call. "
                    + "Fix: construct the object after the call.");
        }
        List<MethodInsnNode> inits = new ArrayList<>();
        for (Map.Entry<MethodInsnNode, Frame<BasicValue>> e : initFrames.entrySet()) {
            Frame<BasicValue> f = e.getValue();
            int args = Type.getArgumentTypes(e.getKey().desc).length;
            if (f.getStack(f.getStackSize() - args - 1) instanceof UninitializedValue u && u.newInsn() == newInsn) {
                inits.add(e.getKey());
            }
        }
        if (inits.size() != 1) {
            throw new MethodRefusal(ProblemKind.UNINITIALIZED_ACROSS_CALL, line, "allocates new "
                    + Names.simpleClass(newInsn.desc) + " whose constructor is called from " + inits.size()
                    + " places, and the object under construction would be live across an @Async call. "
                    + "Fix: construct the object after the call.");
        }
        MethodInsnNode init = inits.get(0);
        Frame<BasicValue> atInit = initFrames.get(init);
        int copies = 0;
        for (int i = 0; i < atInit.getStackSize(); i++) {
            if (atInit.getStack(i) instanceof UninitializedValue u && u.newInsn() == newInsn) {
                copies++;
            }
        }
        if (copies != 2) {
            throw new MethodRefusal(ProblemKind.UNINITIALIZED_ACROSS_CALL, line, "allocates new "
                    + Names.simpleClass(newInsn.desc) + " and keeps " + copies + " copies of the object under "
                    + "construction on the operand stack (javac keeps 2), live across an @Async call. "
                    + "Fix: construct the object after the call.");
        }
        Type[] argTypes = Type.getArgumentTypes(init.desc);
        int firstArg = atInit.getStackSize() - argTypes.length;
        int[] slots = new int[argTypes.length];
        for (int i = 0; i < argTypes.length; i++) {
            slots[i] = method.maxLocals;
            method.maxLocals += argTypes[i].getSize();
        }
        InsnList before = new InsnList();
        for (int i = argTypes.length - 1; i >= 0; i--) {
            before.add(new VarInsnNode(argTypes[i].getOpcode(Opcodes.ISTORE), slots[i]));
        }
        before.add(new TypeInsnNode(Opcodes.NEW, newInsn.desc));
        before.add(new InsnNode(Opcodes.DUP));
        for (int i = 0; i < argTypes.length; i++) {
            before.add(new VarInsnNode(argTypes[i].getOpcode(Opcodes.ILOAD), slots[i]));
        }
        assert firstArg >= 0;
        insns.insertBefore(init, before);
        insns.set(dup, new InsnNode(Opcodes.POP));
    }
}
