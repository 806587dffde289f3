package dev.weft.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks the frames between a woven method and its nearest woven caller, for
 * {@link Continuation#checkCaller}: only pass-through frames may sit there.
 *
 * <p>A pass-through frame calls on and returns its callee's result with nothing after the
 * call: the JDK's lambda proxies (hidden classes), method handles and reflection. Every
 * other frame is code that would carry on after its callee returned early. And some woven
 * call site must have announced a call: a woven method that reaches async code through
 * reflection, in a plain call, would not unwind either.
 */
final class UnwovenFrames {
    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(
            StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES,
            StackWalker.Option.SHOW_HIDDEN_FRAMES));

    /** Paths already found to pass: {@code owner.method<-announced}. Grows with the program's call shapes. */
    private static final Set<String> PASSED = ConcurrentHashMap.newKeySet();

    private UnwovenFrames() {
    }

    /**
     * @param announced the name the caller announced, or null
     * @param owner binary class name of the woven method
     * @param method its name
     * @return null if the frames above it up to a woven one are all pass-through, else a
     *     description of the first frame that is not
     */
    static String check(String announced, String owner, String method) {
        String key = owner + "." + method + "<-" + announced;
        if (PASSED.contains(key)) {
            return null;
        }
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
        int at = -1;
        for (int i = 0; i < frames.size(); i++) {
            StackWalker.StackFrame f = frames.get(i);
            if (f.getClassName().equals(owner) && f.getMethodName().equals(method)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return "the frame of " + owner + "." + method + " is not on the stack";
        }
        if (announced == null) {
            // No woven call site announced a call: whatever called it (reflection, a plain
            // call from woven code) will not unwind when it returns early.
            return at + 1 < frames.size() ? describe(frames.get(at + 1)) + ", which does not call it as an @Async "
                    + "call site" : "no frame calls it";
        }
        for (int i = at + 1; i < frames.size(); i++) {
            StackWalker.StackFrame f = frames.get(i);
            Class<?> c = f.getDeclaringClass();
            if (c.isAnnotationPresent(Woven.class)) {
                PASSED.add(key);
                return null;
            }
            if (!isPassThrough(c)) {
                return describe(f);
            }
        }
        return "no woven frame calls it (it runs outside any task's entry)";
    }

    private static boolean isPassThrough(Class<?> c) {
        String n = c.getName();
        return c.isHidden() || n.startsWith("java.lang.invoke.") || n.startsWith("jdk.internal.reflect.")
                || n.equals("java.lang.reflect.Method");
    }

    private static String describe(StackWalker.StackFrame f) {
        return f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
    }
}
