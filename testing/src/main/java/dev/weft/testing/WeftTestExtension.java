package dev.weft.testing;

import dev.weft.RunInterruptedException;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.internal.Woven;
import dev.weft.lowlevel.Lowlevel;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link WeftTest}: resolves {@link MockClock} parameters and
 * runs the test method as the main task of a run.
 */
public final class WeftTestExtension implements InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WeftTestExtension.class);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-test-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Creates the extension; JUnit does this. */
    public WeftTestExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == MockClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getStore(NAMESPACE).getOrComputeIfAbsent(MockClock.class, k -> new MockClock(), MockClock.class);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extension) throws Throwable {
        invocation.skip();
        Method method = context.getExecutable();
        Class<?> owner = method.getDeclaringClass();
        if (!owner.isAnnotationPresent(Woven.class)) {
            throw new AssertionFailedError("@WeftTest " + owner.getSimpleName() + "." + method.getName() + ": class "
                    + owner.getName() + " is not woven. Weave test classes with the weft-maven-plugin's weave-tests "
                    + "goal (or run with -javaagent:weft-agent.jar), and mark the test method @Async");
        }
        WeftTest settings = method.getAnnotation(WeftTest.class);
        Runner runner = Weft.runner();
        for (Parameter p : method.getParameters()) {
            if (p.getType() == MockClock.class) {
                runner.clock(extension.getStore(NAMESPACE).get(MockClock.class, MockClock.class));
            }
        }
        if (settings.seed() != Long.MIN_VALUE) {
            runner.randomOrder(settings.seed());
        }
        runner.handleInterrupts(false);
        method.setAccessible(true);
        Object target = context.getTarget().orElse(null);
        AtomicReference<String> hungTree = new AtomicReference<>();
        long timeoutNanos = (long) (settings.timeoutSeconds() * 1e9);
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            hungTree.set(Lowlevel.dumpTaskTrees());
            runner.interrupt();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            runner.run(new TestEntry(method, target, context.getArguments().toArray()));
        } catch (RunInterruptedException e) {
            if (hungTree.get() != null) {
                AssertionFailedError failure = new AssertionFailedError("@WeftTest " + method.getName()
                        + " did not finish within " + settings.timeoutSeconds() + " s of real time; the task tree "
                        + "when it was interrupted:\n" + hungTree.get(), e);
                throw failure;
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }
}
