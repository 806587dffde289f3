package dev.weft.weaver.analysis;

import org.objectweb.asm.Type;

/** How weave messages name classes and methods: as a Java programmer writes them. */
public final class Names {
    private Names() {
    }

    /**
     * @param internalName {@code a/b/Outer$Inner}
     * @return {@code Outer.Inner}
     */
    public static String simpleClass(String internalName) {
        String s = internalName.substring(internalName.lastIndexOf('/') + 1);
        return s.replace('$', '.');
    }

    /**
     * @param owner internal name of the class
     * @param name method name
     * @param descriptor method descriptor
     * @return {@code Fetcher.fetch(String, int)}
     */
    public static String method(String owner, String name, String descriptor) {
        StringBuilder b = new StringBuilder(simpleClass(owner)).append('.');
        b.append(name.equals("<init>") ? "<init>" : name).append('(');
        Type[] args = Type.getArgumentTypes(descriptor);
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(simpleClass(args[i].getClassName().replace('.', '/')));
        }
        return b.append(')').toString();
    }

    /**
     * @param internalName {@code a/b/C}
     * @return {@code a.b.C}
     */
    public static String binary(String internalName) {
        return internalName.replace('/', '.');
    }
}
