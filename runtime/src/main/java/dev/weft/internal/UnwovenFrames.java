package dev.weft.internal;

import java.util.List;
import java.util.stream.Collectors;

/** Names the frame that called a given method, for the messages of a refused suspension. */
final class UnwovenFrames {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES);

    private UnwovenFrames() {
    }

    /**
     * Describes the frame just below the innermost frame of {@code owner.method}.
     *
     * @param owner binary class name of the method whose caller is wanted
     * @param method its name
     * @return {@code "a.b.C.m(C.java:12)"}, or a sentence saying the frame was not found
     */
    static String describeCallerOf(String owner, String method) {
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
        for (int i = 0; i < frames.size() - 1; i++) {
            StackWalker.StackFrame f = frames.get(i);
            if (f.getClassName().equals(owner) && f.getMethodName().equals(method)) {
                StackWalker.StackFrame caller = frames.get(i + 1);
                return caller.getClassName() + "." + caller.getMethodName() + "(" + caller.getFileName() + ":"
                        + caller.getLineNumber() + ")";
            }
        }
        return "the caller of " + owner + "." + method + " (not found on the stack)";
    }
}
