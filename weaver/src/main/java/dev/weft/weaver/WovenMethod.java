package dev.weft.weaver;

import java.util.List;

/**
 * What the weaver did to one method: its suspension points and what each carries across.
 * This is what {@code weft explain} prints.
 *
 * @param name the method name
 * @param descriptor the method descriptor
 * @param points the suspension points, by state number
 */
public record WovenMethod(String name, String descriptor, List<SuspensionPoint> points) {

    /**
     * One call to an {@code @Async} method.
     *
     * @param state the state number the frame store records for it
     * @param line the source line, or -1
     * @param callee the method called, as {@code Client.get(String)}
     * @param savedLocals the locals saved, as {@code "2 count: int"} (slot, name if the
     *     class has a local variable table, type)
     * @param savedStack the operand stack values below the call's arguments, bottom first
     */
    public record SuspensionPoint(int state, int line, String callee, List<String> savedLocals,
                                  List<String> savedStack) {
    }
}
