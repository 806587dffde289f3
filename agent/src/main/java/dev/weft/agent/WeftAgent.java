package dev.weft.agent;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The Weft Java agent: weaves the {@code @Async} methods of every class as it loads, with the
 * same weaver, and so the same bytes, as the Maven plugin.
 *
 * <p>Start it with the JVM, the way to run code that was not woven at build time:
 * {@snippet :
 * java -javaagent:weft-agent.jar -jar app.jar
 * java -javaagent:weft-agent.jar=verbose,include=com.acme.,onError=warn -cp app.jar com.acme.Main
 * }
 * or attach it from inside a running JVM, for tests and tools, before the classes to weave
 * are loaded:
 * {@snippet :
 * try (Installation weft = WeftAgent.install("include=com.acme.")) {
 *     Class<?> c = Class.forName("com.acme.Fetcher", true, freshLoader);   // woven as it loads
 * }
 * }
 * The options are described in {@code AgentOptions}: {@code verbose}, {@code include=},
 * {@code exclude=}, {@code dump=} and {@code onError=refuse|warn}.
 *
 * <h2>What is woven</h2>
 * Every class that holds or calls {@code @Async} code, including nested, local and anonymous
 * classes and the bodies of lambdas (which live in their declaring class), in every class loader
 * but the bootstrap and platform ones; each loader resolves the class hierarchy through its own
 * {@code getResource}, with a cache of its own. Classes already woven (they carry
 * {@code dev.weft.internal.Woven}) are left alone, so a build-time woven jar loads unchanged.
 * Classes loaded before the agent was installed are not woven.
 *
 * <h2>Reports</h2>
 * To the standard error, one greppable line per event: {@code [weft] WOVEN a.b.Foo (3 methods)}
 * with {@code verbose}, and always {@code [weft] ERROR a.b.Bar Bar.java:12: ...} for each weave
 * problem and {@code [weft] WARNING ...} for each warning. A class the weaver refuses is never
 * loaded unwoven silently: by default it is replaced by a stub whose first use throws a
 * {@link LinkageError} carrying the problems; with {@code onError=warn} it is loaded as compiled.
 *
 * <h2>Jar</h2>
 * The agent jar holds the weaver, ASM and Byte Buddy's attach support, relocated under
 * {@code dev.weft.agent.shaded}, so they cannot clash with the application's own copies. Its
 * manifest names this class as {@code Premain-Class} and {@code Agent-Class}.
 */
public final class WeftAgent {
    private WeftAgent() {
    }

    /**
     * The entry point of {@code -javaagent:weft-agent.jar[=OPTIONS]}.
     *
     * @param options the text after {@code =}, or null
     * @param instrumentation the JVM's instrumentation
     * @throws IllegalArgumentException if the options are invalid, which stops the JVM from starting
     */
    public static void premain(String options, Instrumentation instrumentation) {
        installOn(instrumentation, AgentOptions.parse(options));
    }

    /**
     * The entry point of attaching the agent to a running JVM (the {@code Agent-Class}); only
     * classes loaded afterwards are woven.
     *
     * @param options the options, or null
     * @param instrumentation the JVM's instrumentation
     * @throws IllegalArgumentException if the options are invalid
     */
    public static void agentmain(String options, Instrumentation instrumentation) {
        installOn(instrumentation, AgentOptions.parse(options));
    }

    /**
     * Attaches the agent to this JVM with the default options. See {@link #install(String)}.
     *
     * @return the installation, to {@link Installation#close() close} when done
     * @throws IllegalStateException if this JVM cannot attach an agent to itself
     */
    public static Installation install() {
        return install("");
    }

    /**
     * Attaches the agent to this JVM, through Byte Buddy's {@code ByteBuddyAgent.install()},
     * so that classes loaded from now on are woven. Each call adds one more transformer; two
     * installations weave once, since the second finds classes already woven.
     *
     * <p>On JDK 21 and later the JVM prints a warning that an agent was loaded dynamically,
     * unless it was started with {@code -XX:+EnableDynamicAgentLoading}; a later JDK may refuse
     * dynamic loading without that flag. Starting the JVM with {@code -javaagent:} needs neither.
     *
     * @param options the agent options, as after {@code =} in {@code -javaagent:}
     * @return the installation, to {@link Installation#close() close} when done
     * @throws IllegalArgumentException if the options are invalid
     * @throws IllegalStateException if this JVM cannot attach an agent to itself (a JRE without
     *     the {@code jdk.attach} module, or attaching disabled)
     */
    public static Installation install(String options) {
        AgentOptions parsed = AgentOptions.parse(options);
        return install(parsed, new StreamWritingListener(System.err, parsed.verbose()));
    }

    /** Self-attaches with a listener of the caller's, for tests. */
    static Installation install(AgentOptions options, WeaveListener listener) {
        Instrumentation instrumentation;
        try {
            instrumentation = ByteBuddyAgent.install();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot attach the Weft agent to this JVM (" + e.getMessage() + "). Fix: "
                    + "start the JVM with -javaagent:weft-agent.jar instead, or run on a full JDK with the jdk.attach "
                    + "module.", e);
        }
        return installOn(instrumentation, options, listener);
    }

    private static Installation installOn(Instrumentation instrumentation, AgentOptions options) {
        return installOn(instrumentation, options, new StreamWritingListener(System.err, options.verbose()));
    }

    private static Installation installOn(Instrumentation instrumentation, AgentOptions options,
                                          WeaveListener listener) {
        WeavingTransformer transformer = new WeavingTransformer(options, listener);
        instrumentation.addTransformer(transformer, false);
        return new Installation(instrumentation, transformer);
    }
}
