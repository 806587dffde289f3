package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void parse_nullOrBlank_givesTheDefaults() {
        assertSame(AgentOptions.DEFAULT, AgentOptions.parse(null));
        assertSame(AgentOptions.DEFAULT, AgentOptions.parse(" "));
        assertFalse(AgentOptions.DEFAULT.verbose());
        assertNull(AgentOptions.DEFAULT.dump());
        assertEquals(AgentOptions.OnError.REFUSE, AgentOptions.DEFAULT.onError());
    }

    @Test
    void parse_everyOption_isRead() {
        AgentOptions o = AgentOptions.parse("verbose,include=com.acme.:org.x.,include=net.y.,exclude=com.acme.old.,"
                + "dump=build/woven,onError=warn");

        assertTrue(o.verbose());
        assertEquals(List.of("com.acme.", "org.x.", "net.y."), o.includes());
        assertEquals(List.of("com.acme.old."), o.excludes());
        assertEquals(Path.of("build/woven"), o.dump());
        assertEquals(AgentOptions.OnError.WARN, o.onError());
    }

    @Test
    void parse_unknownOption_namesItAndTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("verbose,verbos"));
        assertEquals("unknown Weft agent option 'verbos' in 'verbose,verbos': expected a comma-separated list of "
                + "verbose, include=<prefixes>, exclude=<prefixes>, dump=<folder>, onError=refuse|warn",
                e.getMessage());
    }

    @Test
    void parse_badValues_areRefusedNamingTheOption() {
        assertEquals("Weft agent option onError=ignore in 'onError=ignore' must be refuse or warn",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("onError=ignore")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("dump"))
                .getMessage().startsWith("Weft agent option 'dump' in 'dump' needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("include=:"))
                .getMessage().startsWith("Weft agent option include= in 'include=:' names no prefix"));
        assertEquals("Weft agent option 'verbose' in 'verbose=yes' takes no value, was 'yes'",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("verbose=yes")).getMessage());
    }

    @Test
    void accepts_includesAndExcludes_filterByBinaryNamePrefix() {
        AgentOptions o = AgentOptions.parse("include=com.acme.,exclude=com.acme.old.");

        assertTrue(o.accepts("com/acme/Foo"));
        assertTrue(o.accepts("com/acme/net/Foo$1"));
        assertFalse(o.accepts("com/acme/old/Foo"));
        assertFalse(o.accepts("org/other/Foo"));
    }

    @Test
    void accepts_jdkAndAgentClasses_neverWhateverTheIncludes() {
        AgentOptions o = AgentOptions.parse("include=java.:jdk.:dev.weft.");

        assertFalse(o.accepts("java/lang/String"));
        assertFalse(o.accepts("jdk/internal/misc/Unsafe"));
        assertFalse(o.accepts("dev/weft/agent/WeftAgent"));
        assertFalse(o.accepts("dev/weft/agent/shaded/asm/ClassReader"));
        assertTrue(o.accepts("dev/weft/internal/Continuation"), "the runtime may be woven at load time");
    }
}
