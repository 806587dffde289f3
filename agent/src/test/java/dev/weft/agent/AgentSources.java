package dev.weft.agent;

import java.util.Map;

/** The classes the agent tests load: async code in every shape the agent must find, and a class the weaver refuses. */
final class AgentSources {
    private AgentSources() {
    }

    /**
     * {@code agentdemo.Flow}, a task entry that suspends three times: in a method of its own, in
     * a lambda body and in an anonymous class, both inside a nested class. Resumed with 1, 2, 3
     * it returns {@code x1y2z3}.
     */
    static final Map<String, String> FLOW = Map.of("agentdemo/Flow.java", """
            package agentdemo;
            import dev.weft.AsyncCallable;
            import dev.weft.annotation.Async;
            import dev.weft.internal.Continuation;
            public class Flow implements AsyncCallable<String> {
                @Async @Override public String call() throws Exception {
                    return step("x") + Nested.inner();
                }
                @Async static String step(String s) {
                    Object v = Continuation.suspend();
                    return s + v;
                }
                static class Nested {
                    @Async static String inner() throws Exception {
                        AsyncCallable<String> lambda = () -> step("y");
                        AsyncCallable<String> anonymous = new AsyncCallable<>() {
                            @Async @Override public String call() {
                                return step("z");
                            }
                        };
                        return lambda.call() + anonymous.call();
                    }
                }
            }
            """);

    /** {@code agentdemo.Bad}: two weave problems, on lines 8 and 12. */
    static final Map<String, String> BAD = Map.of("agentdemo/Bad.java", """
            package agentdemo;
            import dev.weft.annotation.Async;
            public class Bad {
                @Async static String leaf() {
                    return "leaf";
                }
                static String notAsync() {
                    return leaf();
                }
                @Async
                static synchronized String holdsMonitor() {
                    return leaf();
                }
            }
            """);

    /** {@code agentdemo.Plain}: nothing async. */
    static final Map<String, String> PLAIN = Map.of("agentdemo/Plain.java", """
            package agentdemo;
            public class Plain {
                public static int twice(int x) {
                    return 2 * x;
                }
            }
            """);
}
