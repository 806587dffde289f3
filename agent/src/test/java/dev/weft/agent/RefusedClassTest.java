package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stub a refused class is loaded as: it links like the original and fails on first use. */
class RefusedClassTest {
    @TempDir
    Path work;

    /** Defines the given class files, by binary name; nothing else but through the test class path. */
    private static final class Definer extends ClassLoader {
        private final Map<String, byte[]> classes;

        Definer(Map<String, byte[]> classes) {
            super(RefusedClassTest.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }
    }

    private Path compile(Map<String, String> sources) throws IOException {
        return TestCompiler.compile(sources, work.resolve("src"), work.resolve("classes"));
    }

    @Test
    void stub_ofAClass_keepsItsMembersAndThrowsOnInitialization() throws Exception {
        Path classes = compile(AgentSources.BAD);
        byte[] stub = RefusedClass.stub(Files.readAllBytes(classes.resolve("agentdemo/Bad.class")), "refused: why");
        Definer loader = new Definer(Map.of("agentdemo.Bad", stub));

        Class<?> bad = Class.forName("agentdemo.Bad", false, loader);
        assertTrue(Modifier.isSynchronized(bad.getDeclaredMethod("holdsMonitor").getModifiers()));
        Method leaf = bad.getDeclaredMethod("leaf");
        leaf.setAccessible(true);
        LinkageError e = assertThrows(LinkageError.class, () -> leaf.invoke(null));
        assertEquals("refused: why", e.getMessage());
        assertThrows(NoClassDefFoundError.class, () -> Class.forName("agentdemo.Bad", true, loader),
                "a class whose initializer failed stays unusable");
    }

    @Test
    void stub_ofAnInterfaceWithADefaultMethod_failsItsImplementationsOnInitialization() throws Exception {
        Path classes = compile(Map.of("agentdemo/Api.java", """
                package agentdemo;
                public interface Api {
                    String name();
                    default String greet() {
                        return "hello " + name();
                    }
                }
                """, "agentdemo/Impl.java", """
                package agentdemo;
                public class Impl implements Api {
                    public String name() {
                        return "impl";
                    }
                }
                """));
        byte[] stub = RefusedClass.stub(Files.readAllBytes(classes.resolve("agentdemo/Api.class")), "Api refused");
        Definer loader = new Definer(Map.of("agentdemo.Api", stub,
                "agentdemo.Impl", Files.readAllBytes(classes.resolve("agentdemo/Impl.class"))));

        LinkageError e = assertThrows(LinkageError.class,
                () -> Class.forName("agentdemo.Impl", false, loader).getConstructor().newInstance());
        assertEquals("Api refused", e.getMessage());
    }
}
