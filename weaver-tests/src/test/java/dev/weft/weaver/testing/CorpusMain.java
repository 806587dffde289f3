package dev.weft.weaver.testing;

import dev.weft.internal.Continuation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Runs corpus fixtures plain and woven in a JVM of its own, for class files that the test
 * JVM cannot load (compiled for a newer Java). Prints one line per fixture,
 * {@code OK name suspensions} or {@code MISMATCH name ...}, and exits 1 on any mismatch.
 */
public final class CorpusMain {
    private CorpusMain() {
    }

    /** @param args the plain classes directory, the woven one, then fixture names */
    public static void main(String[] args) throws Exception {
        Path plain = Path.of(args[0]);
        Path woven = Path.of(args[1]);
        boolean allSame = true;
        for (int i = 2; i < args.length; i++) {
            String fixture = "dev.weft.corpus." + args[i];
            Probe.use(Probe.Policy.NEVER, 0);
            Object expected = entry(plain, fixture).invoke(null);
            Probe.use(Probe.Policy.ALWAYS, 0);
            Continuation c = new Continuation(new ReflectiveEntry(entry(woven, fixture)));
            while (c.run() == Continuation.Status.SUSPENDED) {
                // resume at once
            }
            Object actual = c.failure() != null ? c.failure() : c.result();
            if (expected.equals(actual)) {
                System.out.println("OK " + args[i] + " " + c.suspensions());
            } else {
                allSame = false;
                System.out.println("MISMATCH " + args[i] + " expected <" + expected + "> got <" + actual + ">");
            }
        }
        System.exit(allSame ? 0 : 1);
    }

    private static Method entry(Path classes, String name) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, CorpusMain.class.getClassLoader());
        Method m = loader.loadClass(name).getDeclaredMethod("run");
        m.setAccessible(true);
        return m;
    }
}
