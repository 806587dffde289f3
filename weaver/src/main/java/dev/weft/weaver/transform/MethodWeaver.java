package dev.weft.weaver.transform;

import dev.weft.weaver.ProblemKind;
import dev.weft.weaver.WovenMethod;
import dev.weft.weaver.analysis.Liveness;
import dev.weft.weaver.analysis.Names;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Rewrites one method into a resumable state machine.
 *
 * <p>Take {@code @Async int twice(Client c) { int a = c.get(); return a + c.get(); }}. Each
 * call to an async method gets a state number, here 0 and 1. The woven method reads:
 * <pre>
 *   // prologue
 *   Continuation k = Continuation.current();
 *   String caller = k.handshake; k.handshake = null;   // the name the caller announced
 *   if (k.resuming) goto RESTORE;
 *
 *   // call site 0 (an instance call: receiver and arguments are spilled to locals)
 *   t0 = c;                              // spill the receiver (and arguments) to locals
 *   push t0 and the arguments
 * RESUME_0:
 *   k.handshake = "get";                 // announce the callee (an interned constant)
 *   int r = t0.get();
 *   if (k.suspending) goto SAVE_0;      // the only cost when nothing suspends
 *   a = r;
 *   ...same for call site 1, whose operand stack below the call holds a...
 *
 * SAVE_0:                                // appended after the method's code
 *   pop the call's (meaningless) result;
 *   if (caller != "twice") k.checkCaller(caller, ...);   // slow path: are the frames above pass-through?
 *   push the operand stack below the call, top first; push the locals live after the call
 *   (c and a, not the dead ones) and t0; push 0;
 *   return 0;                            // a default value: the caller unwinds too
 *
 * RESTORE:
 *   switch (k.popInt()) { case 0: goto RESTORE_0; ... default: throw k.badState(...); }
 * RESTORE_0:
 *   pop the locals in reverse, casting references to the types the analysis found;
 *   pop the operand stack, bottom first;
 *   push t0 and default arguments; goto RESUME_0;   // the call again; the callee re-enters likewise
 * </pre>
 * On resumption a call's arguments are pushed as default values, since the callee restores
 * its own locals and never reads them. The receiver of an instance call must be the real
 * one, so that the call dispatches to the same method: instance calls spill receiver and
 * arguments to locals (free once compiled) and only the receiver is saved.
 *
 * <p>The save and restore blocks lie after the method's original code, outside every
 * exception range, so {@code catch} and {@code finally} never see the unwind; the original
 * code keeps its line numbers, and each block carries the line of its call so a stack
 * trace from it points at the call. Frames are recomputed by the class writer from the
 * class hierarchy.
 */
public final class MethodWeaver {
    private final String owner;
    private final MethodNode method;
    private final List<MethodInsnNode> sites;
    private final Frame<BasicValue>[] frames;
    private final Map<AbstractInsnNode, Integer> lines;
    private final String announcedAs;
    private final String sourceFile;

    private final int contSlot;
    private final int viaSlot;
    private final int tempBase;
    private int tempSize;

    /**
     * @param owner internal name of the method's class
     * @param method the method; rewritten in place
     * @param sites its async call sites, in code order
     * @param frames the frame before each instruction, from {@code TypedFrame.analyze}
     * @param lines the source line of each instruction
     * @param announcedAs the name woven callers announce when they call this method: its own
     *     name, or for a lambda body its functional interface method's
     * @param sourceFile the class's source file name, or null; used in the suspension sites
     *     that task dumps show
     */
    public MethodWeaver(String owner, MethodNode method, List<MethodInsnNode> sites, Frame<BasicValue>[] frames,
                        Map<AbstractInsnNode, Integer> lines, String announcedAs, String sourceFile) {
        this.owner = owner;
        this.method = method;
        this.sites = sites;
        this.frames = frames;
        this.lines = lines;
        this.announcedAs = announcedAs;
        this.sourceFile = sourceFile;
        this.contSlot = method.maxLocals;
        this.viaSlot = method.maxLocals + 1;
        this.tempBase = method.maxLocals + 2;
    }

    /**
     * Relocates allocations live across async calls, if any, so that the method can be
     * analysed again before {@link #weave()}.
     *
     * @return whether the method changed
     * @throws MethodRefusal if an allocation is in a shape that cannot be moved
     */
    public static boolean prepare(MethodNode method, List<MethodInsnNode> sites, Frame<BasicValue>[] frames,
                                  Map<AbstractInsnNode, Integer> lines) throws MethodRefusal {
        return ConstructionRelocator.relocate(method, sites, frames, lines);
    }

    /**
     * Rewrites the method.
     *
     * @return what was done: the suspension points and what each saves
     * @throws MethodRefusal if a value live across a call cannot be saved
     */
    public WovenMethod weave() throws MethodRefusal {
        List<WovenMethod.SuspensionPoint> report = new ArrayList<>();
        InsnList insns = method.instructions;
        boolean thisIsFixed = (method.access & Opcodes.ACC_STATIC) == 0 && !storesToSlotZero();
        LabelNode restore = new LabelNode();
        List<LabelNode> restoreLabels = new ArrayList<>();
        InsnList tail = new InsnList();
        List<Frame<BasicValue>> siteFrames = new ArrayList<>();
        List<BitSet> siteLiveness = new ArrayList<>();
        BitSet[] liveOut = Liveness.liveOut(method);
        for (MethodInsnNode site : sites) {
            siteFrames.add(frames[insns.indexOf(site)]); // before any insertion moves the indices
            siteLiveness.add(liveOut[insns.indexOf(site)]);
        }
        for (int state = 0; state < sites.size(); state++) {
            MethodInsnNode site = sites.get(state);
            Frame<BasicValue> f = siteFrames.get(state);
            if (f == null) {
                restoreLabels.add(null);
                continue; // unreachable: javac leaves none, other compilers may
            }
            CallSite cs = new CallSite(state, site, f, siteLiveness.get(state), thisIsFixed);
            report.add(cs.describe());
            cs.rewriteInline();
            tail.add(cs.saveBlock());
            LabelNode r = new LabelNode();
            restoreLabels.add(r);
            tail.add(cs.restoreBlock(r));
        }
        InsnList prologue = new InsnList();
        prologue.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeNames.CONTINUATION, RuntimeNames.CURRENT,
                RuntimeNames.CURRENT_DESC, false));
        prologue.add(new VarInsnNode(Opcodes.ASTORE, contSlot));
        prologue.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
        prologue.add(handshake(Opcodes.GETFIELD));
        prologue.add(new VarInsnNode(Opcodes.ASTORE, viaSlot));
        prologue.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
        prologue.add(new InsnNode(Opcodes.ACONST_NULL));
        prologue.add(handshake(Opcodes.PUTFIELD));
        if (!sites.isEmpty()) {
            prologue.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            prologue.add(field(Opcodes.GETFIELD, RuntimeNames.RESUMING));
            prologue.add(new JumpInsnNode(Opcodes.IFNE, restore));
            tail.insert(dispatchBlock(restore, restoreLabels));
        }
        insns.insert(prologue);
        insns.add(tail);
        method.maxLocals = tempBase + tempSize;
        return new WovenMethod(method.name, method.desc, List.copyOf(report));
    }

    private String localName(int slot, AbstractInsnNode at) {
        if (method.localVariables != null) {
            int here = method.instructions.indexOf(at);
            for (LocalVariableNode v : method.localVariables) {
                if (v.index == slot && method.instructions.indexOf(v.start) <= here
                        && here < method.instructions.indexOf(v.end)) {
                    return " " + v.name;
                }
            }
        }
        return slot >= tempBase ? " (call operand)" : "";
    }

    private static String typeName(SlotKind kind, Type type) {
        return kind == SlotKind.NULL ? "null" : Names.simpleClass(type.getClassName().replace('.', '/'));
    }

    private InsnList dispatchBlock(LabelNode restore, List<LabelNode> restoreLabels) {
        InsnList b = new InsnList();
        LabelNode bad = new LabelNode();
        b.add(restore);
        b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
        b.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, RuntimeNames.CONTINUATION, "popInt", "()I", false));
        b.add(new InsnNode(Opcodes.DUP));
        LabelNode[] targets = restoreLabels.stream().map(l -> l == null ? bad : l).toArray(LabelNode[]::new);
        b.add(new TableSwitchInsnNode(0, targets.length - 1, bad, targets));
        b.add(bad);
        b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
        b.add(new InsnNode(Opcodes.SWAP));
        b.add(new LdcInsnNode(Names.binary(owner)));
        b.add(new LdcInsnNode(method.name));
        b.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, RuntimeNames.CONTINUATION, RuntimeNames.BAD_STATE,
                RuntimeNames.BAD_STATE_DESC, false));
        b.add(new InsnNode(Opcodes.ATHROW));
        return b;
    }

    private boolean storesToSlotZero() {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof VarInsnNode v && v.var == 0 && v.getOpcode() >= Opcodes.ISTORE
                    && v.getOpcode() <= Opcodes.ASTORE) {
                return true;
            }
        }
        return false;
    }

    private static FieldInsnNode handshake(int opcode) {
        return new FieldInsnNode(opcode, RuntimeNames.CONTINUATION, RuntimeNames.HANDSHAKE, RuntimeNames.HANDSHAKE_DESC);
    }

    private static FieldInsnNode field(int opcode, String name) {
        return new FieldInsnNode(opcode, RuntimeNames.CONTINUATION, name, "Z");
    }

    /** One local or stack value to carry across the suspension. */
    private record Carried(int slot, SlotKind kind, Type type) {
    }

    /** The rewrite of one async call site. */
    private final class CallSite {
        final int state;
        final MethodInsnNode call;
        final int line;
        final boolean hasReceiver;
        final Type[] args;
        final List<Carried> stackBelow = new ArrayList<>();
        final List<Carried> locals = new ArrayList<>();
        final List<Carried> temps = new ArrayList<>();
        final LabelNode resume = new LabelNode();
        final LabelNode save = new LabelNode();

        CallSite(int state, MethodInsnNode call, Frame<BasicValue> f, BitSet liveAfter, boolean thisIsFixed)
                throws MethodRefusal {
            this.state = state;
            this.call = call;
            this.line = lines.getOrDefault(call, -1);
            this.hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
            this.args = Type.getArgumentTypes(call.desc);
            int onStack = args.length + (hasReceiver ? 1 : 0);
            int below = f.getStackSize() - onStack;
            for (int i = 0; i < below; i++) {
                BasicValue v = f.getStack(i);
                SlotKind k = carry(v, "an operand stack value");
                if (k == SlotKind.NONE) {
                    throw refusal("has an operand stack value of no usable type below the call");
                }
                stackBelow.add(new Carried(-1, k, v.getType()));
            }
            for (int i = 0; i < f.getLocals(); i++) {
                if (i == 0 && thisIsFixed || !liveAfter.get(i)) {
                    continue; // this is the receiver the caller re-calls; a dead local is never read again
                }
                BasicValue v = f.getLocal(i);
                SlotKind k = carry(v, "local variable " + i);
                if (k != SlotKind.NONE) {
                    locals.add(new Carried(i, k, v.getType()));
                }
            }
            if (hasReceiver) {
                int slot = tempBase;
                for (int i = below; i < f.getStackSize(); i++) {
                    BasicValue v = f.getStack(i);
                    SlotKind k = carry(v, "an argument");
                    temps.add(new Carried(slot, k, v.getType()));
                    slot += k.size();
                }
                tempSize = Math.max(tempSize, slot - tempBase);
            }
        }

        private SlotKind carry(BasicValue v, String what) throws MethodRefusal {
            SlotKind k = SlotKind.of(v);
            if (k == SlotKind.UNINITIALIZED) {
                throw refusal("would keep an object under construction in " + what + " across the call");
            }
            return k;
        }

        private MethodRefusal refusal(String why) {
            return new MethodRefusal(ProblemKind.UNINITIALIZED_ACROSS_CALL, line,
                    Names.method(owner, method.name, method.desc) + " " + why + " to @Async "
                            + Names.method(call.owner, call.name, call.desc)
                            + ". Fix: compute the value after the call, or store it in a local first.");
        }

        WovenMethod.SuspensionPoint describe() {
            List<String> savedLocals = new ArrayList<>();
            for (Carried c : allLocals()) {
                savedLocals.add(c.slot + localName(c.slot, call) + ": " + typeName(c.kind, c.type));
            }
            List<String> savedStack = new ArrayList<>();
            for (Carried c : stackBelow) {
                savedStack.add(typeName(c.kind, c.type));
            }
            return new WovenMethod.SuspensionPoint(state, line, Names.method(call.owner, call.name, call.desc),
                    List.copyOf(savedLocals), List.copyOf(savedStack));
        }

        /** Spill (instance calls), the handshake before the call and the test after it. */
        void rewriteInline() {
            InsnList insns = method.instructions;
            InsnList before = new InsnList();
            if (hasReceiver) {
                for (int i = temps.size() - 1; i >= 0; i--) {
                    Carried t = temps.get(i);
                    before.add(t.kind == SlotKind.NULL ? new InsnNode(Opcodes.POP) : new VarInsnNode(t.kind.store, t.slot));
                }
                for (Carried t : temps) {
                    before.add(t.kind == SlotKind.NULL ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(t.kind.load, t.slot));
                }
            }
            before.add(resume);
            before.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            before.add(new LdcInsnNode(call.name));
            before.add(handshake(Opcodes.PUTFIELD));
            insns.insertBefore(call, before);
            InsnList after = new InsnList();
            after.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            after.add(field(Opcodes.GETFIELD, RuntimeNames.SUSPENDING));
            after.add(new JumpInsnNode(Opcodes.IFNE, save));
            insns.insert(call, after);
        }

        InsnList saveBlock() {
            InsnList b = new InsnList();
            b.add(save);
            if (line > 0) {
                b.add(new LineNumberNode(line, save));
            }
            int resultSize = Type.getReturnType(call.desc).getSize();
            if (resultSize > 0) {
                b.add(new InsnNode(resultSize == 2 ? Opcodes.POP2 : Opcodes.POP));
            }
            LabelNode ok = new LabelNode();
            b.add(new VarInsnNode(Opcodes.ALOAD, viaSlot));
            b.add(new LdcInsnNode(announcedAs));
            b.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, ok));
            b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            b.add(new VarInsnNode(Opcodes.ALOAD, viaSlot));
            b.add(new LdcInsnNode(Names.binary(owner)));
            b.add(new LdcInsnNode(method.name));
            b.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, RuntimeNames.CONTINUATION, RuntimeNames.CHECK_CALLER,
                    RuntimeNames.CHECK_CALLER_DESC, false));
            b.add(ok);
            for (int i = stackBelow.size() - 1; i >= 0; i--) {
                Carried c = stackBelow.get(i);
                if (c.kind == SlotKind.NULL) {
                    b.add(new InsnNode(Opcodes.POP));
                } else {
                    b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
                    b.add(push(c.kind));
                }
            }
            for (Carried c : savedLocals()) {
                b.add(new VarInsnNode(c.kind.load, c.slot));
                b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
                b.add(push(c.kind));
            }
            b.add(intConstant(state));
            b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            b.add(push(SlotKind.INT));
            b.add(new LdcInsnNode(site()));
            b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            b.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeNames.CONTINUATION, RuntimeNames.PUSH_SITE,
                    RuntimeNames.PUSH_SITE_DESC, false));
            Type ret = Type.getReturnType(method.desc);
            if (ret.getSort() != Type.VOID) {
                b.add(defaultValue(ret));
            }
            b.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
            return b;
        }

        /** Where this call suspends, as a stack trace element prints it: {@code a.b.C.m(C.java:12)}. */
        private String site() {
            String where = sourceFile == null ? "Unknown Source" : line > 0 ? sourceFile + ":" + line : sourceFile;
            return Names.binary(owner) + "." + method.name + "(" + where + ")";
        }

        InsnList restoreBlock(LabelNode start) {
            InsnList b = new InsnList();
            b.add(start);
            if (line > 0) {
                b.add(new LineNumberNode(line, start));
            }
            b.add(new InsnNode(Opcodes.POP)); // the state number, kept for badState
            List<Carried> saved = savedLocals();
            for (int i = saved.size() - 1; i >= 0; i--) {
                Carried c = saved.get(i);
                b.add(pop(c));
                b.add(new VarInsnNode(c.kind.store, c.slot));
            }
            for (Carried c : allLocals()) {
                if (c.kind == SlotKind.NULL) {
                    b.add(new InsnNode(Opcodes.ACONST_NULL));
                    b.add(new VarInsnNode(Opcodes.ASTORE, c.slot));
                }
            }
            for (Carried c : stackBelow) {
                if (c.kind == SlotKind.NULL) {
                    b.add(new InsnNode(Opcodes.ACONST_NULL));
                } else {
                    b.add(pop(c));
                }
            }
            if (hasReceiver) {
                Carried receiver = temps.get(0);
                b.add(receiver.kind == SlotKind.NULL ? new InsnNode(Opcodes.ACONST_NULL)
                        : new VarInsnNode(Opcodes.ALOAD, receiver.slot));
            }
            for (Type a : args) {
                b.add(defaultValue(a)); // the callee restores its own locals: its arguments are not read
            }
            b.add(new JumpInsnNode(Opcodes.GOTO, resume));
            return b;
        }

        /** The locals carried across: the method's own, and the spilled receiver of an instance call. */
        private List<Carried> allLocals() {
            List<Carried> all = new ArrayList<>(locals);
            if (hasReceiver) {
                all.add(temps.get(0));
            }
            return all;
        }

        private List<Carried> savedLocals() {
            return allLocals().stream().filter(c -> c.kind.isSaved()).toList();
        }

        private InsnList pop(Carried c) {
            InsnList b = new InsnList();
            b.add(new VarInsnNode(Opcodes.ALOAD, contSlot));
            String desc = "()" + (c.kind == SlotKind.REF ? "Ljava/lang/Object;" : String.valueOf(c.kind.descriptorChar));
            b.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, RuntimeNames.CONTINUATION, "pop" + c.kind.suffix, desc, false));
            if (c.kind == SlotKind.REF && !c.type.getDescriptor().equals("Ljava/lang/Object;")) {
                b.add(new TypeInsnNode(Opcodes.CHECKCAST, c.type.getInternalName()));
            }
            return b;
        }

        private MethodInsnNode push(SlotKind kind) {
            return new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeNames.CONTINUATION, "push" + kind.suffix,
                    "(" + kind.pushValueDescriptor() + RuntimeNames.CONTINUATION_DESC + ")V", false);
        }
    }

    /**
     * @param cause why the analysis of a method's code failed
     * @return the refusal to report
     */
    public static MethodRefusal analysisFailed(Exception cause) {
        return new MethodRefusal(ProblemKind.ANALYSIS_FAILED, -1, "could not be analysed (" + cause.getMessage()
                + "). Fix: compile it with javac; if it was, please report this as a Weft bug.");
    }

    private static AbstractInsnNode defaultValue(Type t) {
        return switch (t.getSort()) {
            case Type.LONG -> new InsnNode(Opcodes.LCONST_0);
            case Type.FLOAT -> new InsnNode(Opcodes.FCONST_0);
            case Type.DOUBLE -> new InsnNode(Opcodes.DCONST_0);
            case Type.OBJECT, Type.ARRAY -> new InsnNode(Opcodes.ACONST_NULL);
            default -> new InsnNode(Opcodes.ICONST_0);
        };
    }

    private static AbstractInsnNode intConstant(int v) {
        if (v <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + v);
        }
        if (v <= Short.MAX_VALUE) {
            return new IntInsnNode(v <= Byte.MAX_VALUE ? Opcodes.BIPUSH : Opcodes.SIPUSH, v);
        }
        return new LdcInsnNode(v);
    }
}
