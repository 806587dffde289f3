package dev.weft.weaver.transform;

/**
 * The runtime members that woven code calls, by name. The weaver depends on the runtime
 * only through these strings (see {@code dev.weft.internal.Continuation}); renaming a
 * member there means changing it here in the same commit.
 */
final class RuntimeNames {
    static final String CONTINUATION = "dev/weft/internal/Continuation";
    static final String CONTINUATION_DESC = "L" + CONTINUATION + ";";
    static final String CURRENT = "current";
    static final String CURRENT_DESC = "()" + CONTINUATION_DESC;
    static final String RESUMING = "resuming";
    static final String SUSPENDING = "suspending";
    static final String HANDSHAKE = "handshake";
    static final String HANDSHAKE_DESC = "Ljava/lang/String;";
    static final String CHECK_CALLER = "checkCaller";
    static final String CHECK_CALLER_DESC = "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)V";
    static final String PUSH_SITE = "pushSite";
    static final String PUSH_SITE_DESC = "(Ljava/lang/String;" + CONTINUATION_DESC + ")V";
    static final String BAD_STATE = "badState";
    static final String BAD_STATE_DESC = "(ILjava/lang/String;Ljava/lang/String;)Ljava/lang/RuntimeException;";

    /** Descriptor of the marker annotation left on woven classes. */
    static final String WOVEN_DESC = "Ldev/weft/internal/Woven;";

    private RuntimeNames() {
    }

    /** {@code pushInt(ILdev/weft/internal/Continuation;)V} and its siblings. */
    static String pushDesc(char kind) {
        return "(" + kind + CONTINUATION_DESC + ")V";
    }
}
