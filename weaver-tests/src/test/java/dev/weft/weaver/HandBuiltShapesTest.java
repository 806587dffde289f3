package dev.weft.weaver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.internal.Continuation;
import dev.weft.weaver.testing.Probe;
import dev.weft.weaver.testing.ReflectiveEntry;
import dev.weft.weaver.testing.Weaving;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Shapes javac never emits, built with ASM: woven correctly, or refused with a clear error. */
class HandBuiltShapesTest {
    private static final String PROBE = "dev/weft/weaver/testing/Probe";
    private static final String ASYNC = "Ldev/weft/annotation/Async;";

    @TempDir
    Path work;

    /** A class {@code demo.Shape} with one static {@code @Async} method {@code m} built by {@code body}. */
    private static byte[] shape(String descriptor, Consumer<MethodVisitor> body) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "demo/Shape", null, "java/lang/Object", null);
        cw.visitSource("Shape.java", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m", descriptor, null, null);
        mv.visitAnnotation(ASYNC, false).visitEnd();
        mv.visitCode();
        body.accept(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void point(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, PROBE, "point", "()V", false);
    }

    private Object runPlain(byte[] bytes) throws Exception {
        Probe.use(Probe.Policy.NEVER, 0);
        return load(bytes).invoke(null);
    }

    private Object runWoven(byte[] bytes, Probe.Policy policy) throws Exception {
        WeaveResult r = Weaving.weaver(work, WeaveOptions.DEFAULT).weave(bytes);
        assertEquals(WeaveResult.Status.WOVEN, r.status());
        Probe.use(policy, 7);
        Continuation c = new Continuation(new ReflectiveEntry(load(r.bytes())));
        while (c.run() == Continuation.Status.SUSPENDED) {
            assertTrue(c.savedSlots() > 0);
        }
        if (c.failure() != null) {
            throw new AssertionError(c.failure());
        }
        return c.result();
    }

    private static Method load(byte[] bytes) throws Exception {
        ClassLoader loader = new ClassLoader(HandBuiltShapesTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals("demo.Shape")) {
                    return defineClass(name, bytes, 0, bytes.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        return loader.loadClass("demo.Shape").getMethod("m");
    }

    @Test
    void wideValuesWithGapsAndSlotsReusedAcrossCalls_surviveSuspension() throws Exception {
        byte[] bytes = shape("()J", mv -> {
            mv.visitLdcInsn(5_000_000_000L);
            mv.visitVarInsn(Opcodes.LSTORE, 2);       // slots 0-1 never written: a gap
            mv.visitIntInsn(Opcodes.BIPUSH, 7);
            mv.visitVarInsn(Opcodes.ISTORE, 5);       // slot 4 a gap between two values
            mv.visitLdcInsn(2.5d);
            mv.visitVarInsn(Opcodes.DSTORE, 6);
            mv.visitLdcInsn(1L);                      // a long on the operand stack across the call
            point(mv);
            mv.visitVarInsn(Opcodes.LLOAD, 2);
            mv.visitInsn(Opcodes.LADD);
            mv.visitIntInsn(Opcodes.BIPUSH, 3);
            mv.visitVarInsn(Opcodes.ISTORE, 3);       // clobbers the upper half of the long in 2-3
            point(mv);
            mv.visitVarInsn(Opcodes.ILOAD, 3);
            mv.visitVarInsn(Opcodes.ILOAD, 5);
            mv.visitInsn(Opcodes.IADD);
            mv.visitInsn(Opcodes.I2L);
            mv.visitInsn(Opcodes.LADD);
            mv.visitVarInsn(Opcodes.DLOAD, 6);
            mv.visitInsn(Opcodes.D2L);
            mv.visitInsn(Opcodes.LADD);
            mv.visitInsn(Opcodes.LRETURN);
        });
        Object expected = runPlain(bytes);
        assertEquals(5_000_000_000L + 1 + 10 + 2, expected);
        assertEquals(expected, runWoven(bytes, Probe.Policy.ALWAYS));
        assertEquals(expected, runWoven(bytes, Probe.Policy.RANDOM));
    }

    @Test
    void newKeptInALocalAcrossAnAsyncCall_isRefused() {
        byte[] bytes = shape("()Ljava/lang/Object;", mv -> {
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
            mv.visitVarInsn(Opcodes.ASTORE, 0);       // uninitialized object in a local
            point(mv);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitInsn(Opcodes.ARETURN);
        });
        WeaveException e = assertThrows(WeaveException.class, () -> Weaving.weaver(work, WeaveOptions.DEFAULT).weave(bytes));
        WeaveProblem p = e.problems().get(0);
        assertEquals(ProblemKind.UNINITIALIZED_ACROSS_CALL, p.kind());
        assertTrue(p.message().contains("keeps an object under construction (new StringBuilder) in local variable 0"),
                p.message());
    }

    @Test
    void newWithThreeCopiesAcrossAnAsyncCall_isRefused() {
        byte[] bytes = shape("()Ljava/lang/Object;", mv -> {
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.DUP);
            point(mv);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
            mv.visitInsn(Opcodes.POP);
            mv.visitInsn(Opcodes.ARETURN);
        });
        WeaveException e = assertThrows(WeaveException.class, () -> Weaving.weaver(work, WeaveOptions.DEFAULT).weave(bytes));
        assertEquals(ProblemKind.UNINITIALIZED_ACROSS_CALL, e.problems().get(0).kind());
        assertTrue(e.problems().get(0).message().contains("keeps 3 copies"), e.problems().get(0).message());
    }

    @Test
    void nullHeldInLocalAndOnStack_isRestoredAsNull() throws Exception {
        byte[] bytes = shape("()Ljava/lang/Object;", mv -> {
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitVarInsn(Opcodes.ASTORE, 0);
            mv.visitInsn(Opcodes.ACONST_NULL);        // null on the stack across the call
            point(mv);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "equals",
                    "(Ljava/lang/Object;Ljava/lang/Object;)Z", false);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Boolean", "valueOf", "(Z)Ljava/lang/Boolean;", false);
            mv.visitInsn(Opcodes.ARETURN);
        });
        assertEquals(Boolean.TRUE, runPlain(bytes));
        assertEquals(Boolean.TRUE, runWoven(bytes, Probe.Policy.ALWAYS));
    }
}
