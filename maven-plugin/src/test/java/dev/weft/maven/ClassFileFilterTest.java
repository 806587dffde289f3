package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFileFilterTest {
    private static boolean accepts(String include, String path) {
        return new ClassFileFilter(List.of(include), List.of()).accepts(path);
    }

    @Test
    void accepts_noPatterns_acceptsEveryPath() {
        assertTrue(ClassFileFilter.ALL.accepts("a/b/C.class"));
        assertTrue(ClassFileFilter.ALL.accepts("C.class"));
    }

    @Test
    void accepts_doubleStarAtEnd_matchesEverythingUnderTheDirectory() {
        assertTrue(accepts("com/acme/**", "com/acme/Foo.class"));
        assertTrue(accepts("com/acme/**", "com/acme/net/Foo.class"));
        assertFalse(accepts("com/acme/**", "com/acmex/Foo.class"));
        assertFalse(accepts("com/acme/**", "org/com/acme/Foo.class"));
    }

    @Test
    void accepts_trailingSlash_meansEverythingUnderIt() {
        assertTrue(accepts("com/acme/", "com/acme/net/Foo.class"));
        assertFalse(accepts("com/acme/", "com/other/Foo.class"));
    }

    @Test
    void accepts_leadingDoubleStar_matchesAnyDirectoriesOrNone() {
        assertTrue(accepts("**/*Test.class", "FooTest.class"));
        assertTrue(accepts("**/*Test.class", "a/b/FooTest.class"));
        assertFalse(accepts("**/*Test.class", "a/b/FooTest$1.class"));
    }

    @Test
    void accepts_singleStarAndQuestionMark_stayWithinOneName() {
        assertTrue(accepts("com/*/Foo.class", "com/acme/Foo.class"));
        assertFalse(accepts("com/*/Foo.class", "com/acme/net/Foo.class"));
        assertTrue(accepts("com/Fo?.class", "com/Foo.class"));
        assertFalse(accepts("com/Fo?.class", "com/Fo/.class"));
    }

    @Test
    void accepts_doubleStarInTheMiddle_matchesAnyDirectories() {
        assertTrue(accepts("com/**/Foo.class", "com/Foo.class"));
        assertTrue(accepts("com/**/Foo.class", "com/a/b/Foo.class"));
    }

    @Test
    void accepts_backslashesAndDollarSigns_areTakenLiterally() {
        assertTrue(accepts("com\\acme\\Foo$Inner.class", "com/acme/Foo$Inner.class"));
        assertFalse(accepts("com/acme/Foo$Inner.class", "com/acme/FooXInner.class"));
    }

    @Test
    void accepts_excludeMatches_winsOverInclude() {
        ClassFileFilter f = new ClassFileFilter(List.of("com/acme/**"), List.of("com/acme/legacy/"));
        assertTrue(f.accepts("com/acme/Foo.class"));
        assertFalse(f.accepts("com/acme/legacy/Foo.class"));
    }

    @Test
    void new_blankPattern_isRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClassFileFilter(List.of(), List.of(" ")));
        assertEquals("exclude pattern must not be blank, was ' ' in [ ]", e.getMessage());
    }
}
