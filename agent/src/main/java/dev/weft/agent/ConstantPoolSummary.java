package dev.weft.agent;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the agent's pre-filter needs from a class file, read from its constant pool alone
 * (JVMS 4.4) without building any model of the class: whether it mentions the {@code @Async}
 * annotation, and the classes it names.
 *
 * @param thisClass the internal name of the class the file defines
 * @param mentionsAsync whether a {@code CONSTANT_Utf8} holds {@code Ldev/weft/annotation/Async;},
 *     as it does in every class with an {@code @Async} method
 * @param namedClasses internal names of the classes the code can call into or extend: every
 *     {@code CONSTANT_Class} other than {@code thisClass} (call owners, supertypes, method
 *     reference owners), and the functional interface every {@code CONSTANT_InvokeDynamic}
 *     returns (a lambda's interface appears nowhere else); arrays are left out
 */
record ConstantPoolSummary(String thisClass, boolean mentionsAsync, Set<String> namedClasses) {
    private static final byte[] ASYNC = "Ldev/weft/annotation/Async;".getBytes(StandardCharsets.US_ASCII);

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    /**
     * Reads the summary of a class file.
     *
     * @param b the class file
     * @return the summary, or null if the bytes are not a well-formed class file (the JVM will
     *     then refuse them itself)
     */
    static ConstantPoolSummary read(byte[] b) {
        try {
            return parse(b);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ConstantPoolSummary parse(byte[] b) {
        if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
            return null;
        }
        int count = u2(b, 8);
        int[] offsets = new int[count];
        int[] tags = new int[count];
        boolean async = false;
        int p = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[p] & 0xFF;
            tags[i] = tag;
            offsets[i] = p + 1;
            switch (tag) {
                case UTF8 -> {
                    int len = u2(b, p + 1);
                    async |= len == ASYNC.length && regionEquals(b, p + 3, ASYNC);
                    p += 3 + len;
                }
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> p += 3;
                case METHOD_HANDLE -> p += 4;
                case INTEGER, FLOAT, FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC,
                        INVOKE_DYNAMIC -> p += 5;
                case LONG, DOUBLE -> {
                    p += 9;
                    i++;
                }
                default -> {
                    return null;
                }
            }
        }
        String thisClass = utf8(b, offsets[u2(b, offsets[u2(b, p + 2)])]);
        Set<String> named = new LinkedHashSet<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == CLASS) {
                String name = utf8(b, offsets[u2(b, offsets[i])]);
                if (!name.startsWith("[") && !name.equals(thisClass)) {
                    named.add(name);
                }
            } else if (tags[i] == INVOKE_DYNAMIC) {
                int nameAndType = offsets[u2(b, offsets[i] + 2)];
                String descriptor = utf8(b, offsets[u2(b, nameAndType + 2)]);
                String ret = descriptor.substring(descriptor.indexOf(')') + 1);
                if (ret.startsWith("L")) {
                    named.add(ret.substring(1, ret.length() - 1));
                }
            }
        }
        return new ConstantPoolSummary(thisClass, async, named);
    }

    private static boolean regionEquals(byte[] b, int from, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the modified UTF-8 (JVMS 4.4.7) of the {@code CONSTANT_Utf8} whose tag precedes {@code at}. */
    private static String utf8(byte[] b, int at) {
        int len = u2(b, at);
        StringBuilder s = new StringBuilder(len);
        int end = at + 2 + len;
        for (int i = at + 2; i < end; ) {
            int c = b[i++] & 0xFF;
            if (c < 0x80) {
                s.append((char) c);
            } else if (c < 0xE0) {
                s.append((char) (((c & 0x1F) << 6) | (b[i++] & 0x3F)));
            } else {
                s.append((char) (((c & 0x0F) << 12) | ((b[i++] & 0x3F) << 6) | (b[i++] & 0x3F)));
            }
        }
        return s.toString();
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
