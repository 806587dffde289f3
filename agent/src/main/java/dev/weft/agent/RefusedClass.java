package dev.weft.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Builds the class the agent loads in place of one the weaver refused: the same name,
 * supertypes, fields and method signatures, but every method body, and a static initializer,
 * replaced by {@code throw new LinkageError(message)}.
 *
 * <p>Why a stub, and not a failed class load: a class file transformer cannot make a class
 * load fail, since the JVM swallows whatever it throws and defines the original bytes (see
 * {@link java.lang.instrument.ClassFileTransformer}). Loading the original would run unwoven
 * code silently. The stub keeps every class that links against the refused one linkable, and
 * makes the first real use fail with the weave problems:
 *
 * <ul>
 *   <li>creating an instance, calling a static method or reading a static field initializes
 *       the class, whose initializer throws the {@link LinkageError} (the JVM rethrows an
 *       {@link Error} from an initializer as it is; later uses get a
 *       {@link NoClassDefFoundError} "Could not initialize class");
 *   <li>a default method of a refused interface throws it when called, and initializing a class
 *       that implements such an interface initializes the interface first;
 *   <li>abstract methods stay abstract, so implementations elsewhere are unaffected.
 * </ul>
 */
final class RefusedClass {
    /** The {@code CONSTANT_Utf8} limit is 65535 bytes; a message longer than this is cut. */
    private static final int MAX_MESSAGE = 16_000;

    private RefusedClass() {
    }

    /**
     * Returns the stub of {@code classFile}.
     *
     * @param classFile the refused class file
     * @param message what the stub throws
     * @return the stub's class file
     */
    static byte[] stub(byte[] classFile, String message) {
        String text = message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "... (" + (message.length() - MAX_MESSAGE) + " more characters)";
        try {
            return mirror(classFile, text);
        } catch (RuntimeException e) {
            // A class file ASM cannot read: refuse it with a bare class of the same name.
            return bare(ConstantPoolSummary.read(classFile).thisClass(), text);
        }
    }

    private static byte[] mirror(byte[] classFile, String text) {
        // A class newer than ASM reads is refused too: read a copy marked with a version ASM knows,
        // and give the stub the original version back.
        int major = ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
        byte[] readable = classFile.clone();
        readable[6] = (byte) (Math.min(major, Opcodes.V25) >> 8);
        readable[7] = (byte) Math.min(major, Opcodes.V25);
        ClassReader reader = new ClassReader(readable);
        ClassWriter writer = new ClassWriter(0);
        boolean[] hasInitializer = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit((version & 0xFFFF0000) | major, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if ((access & Opcodes.ACC_ABSTRACT) != 0) {
                    return super.visitMethod(access, name, descriptor, signature, exceptions);
                }
                hasInitializer[0] |= name.equals("<clinit>");
                MethodVisitor mv = super.visitMethod(access & ~Opcodes.ACC_NATIVE, name, descriptor, signature,
                        exceptions);
                throwing(mv, text, Type.getArgumentsAndReturnSizes(descriptor) >> 2);
                return null;
            }

            @Override
            public void visitEnd() {
                if (!hasInitializer[0]) {
                    throwing(super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null), text, 0);
                }
                super.visitEnd();
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private static byte[] bare(String internalName, String text) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object",
                null);
        throwing(writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null), text, 0);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Writes a body that throws; straight-line code, so it needs no stack map frames. */
    private static void throwing(MethodVisitor mv, String message, int argumentSlots) {
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/LinkageError");
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn(message);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/LinkageError", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(3, argumentSlots);
        mv.visitEnd();
    }
}
