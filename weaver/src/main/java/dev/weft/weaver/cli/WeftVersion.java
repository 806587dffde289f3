package dev.weft.weaver.cli;

import dev.weft.weaver.Weaver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code weft --version} prints: the Weft version, the weaving format it writes and the
 * newest class files it reads, and the JVM it runs on.
 *
 * <p>The version is read from the Maven descriptor the jar carries
 * ({@value #POM_PROPERTIES}); a build that is not a jar (the IDE, the module's own tests)
 * prints {@value #DEVELOPMENT}.
 */
final class WeftVersion implements IVersionProvider {
    /** Where the jar plugin puts the version; also kept in the shaded command-line jar. */
    static final String POM_PROPERTIES = "/META-INF/maven/dev.weft/weft-weaver/pom.properties";

    /** The version printed when no Maven descriptor is found. */
    static final String DEVELOPMENT = "(development build)";

    @Override
    public String[] getVersion() {
        return new String[] {
            "weft " + version(),
            "weaving format " + Weaver.FORMAT_VERSION + ", reads class files up to Java "
                    + (Weaver.MAX_CLASS_VERSION - 44),
            "JVM " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.vm.name") + ")"
        };
    }

    /** @return the Weft version, e.g. {@code 0.1.0-SNAPSHOT}, or {@value #DEVELOPMENT} */
    static String version() {
        try (InputStream in = WeftVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
        }
        String v = WeftVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : DEVELOPMENT;
    }
}
