package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void element_lengthsFrom128_useLongForm() {
        assertEquals("047f", HEX.formatHex(Der.octetString(new byte[127]), 0, 2));
        assertEquals("048180", HEX.formatHex(Der.octetString(new byte[128]), 0, 3));
        assertEquals("0482012c", HEX.formatHex(Der.octetString(new byte[300]), 0, 4));
        assertEquals(2 + 2 + 300, Der.octetString(new byte[300]).length);
    }

    @Test
    void integer_usesFewestTwosComplementOctets() {
        assertEquals("020100", HEX.formatHex(Der.integer(0)));
        assertEquals("02017f", HEX.formatHex(Der.integer(127)));
        assertEquals("02020080", HEX.formatHex(Der.integer(128)));
        assertEquals("0201ff", HEX.formatHex(Der.integer(-1)));
        assertEquals("02020100", HEX.formatHex(Der.integer(BigInteger.valueOf(256))));
    }

    @Test
    void oid_encodesFirstTwoArcsTogetherAndLargeArcsInBase128() {
        assertEquals("06082a8648ce3d040302", HEX.formatHex(Der.oid("1.2.840.10045.4.3.2")));
        assertEquals("0603551d11", HEX.formatHex(Der.oid("2.5.29.17")));
        assertEquals("06082b06010505070301", HEX.formatHex(Der.oid("1.3.6.1.5.5.7.3.1")));
    }

    @Test
    void oid_malformed_throws() {
        assertThrows(IllegalArgumentException.class, () -> Der.oid("2"));
        assertThrows(IllegalArgumentException.class, () -> Der.oid("2..5"));
        assertThrows(IllegalArgumentException.class, () -> Der.oid("3.1"));
    }

    @Test
    void namedBits_dropTrailingZeroBits() {
        assertEquals("03020780", HEX.formatHex(Der.namedBits(0)));
        assertEquals("03020106", HEX.formatHex(Der.namedBits(5, 6)));
        assertEquals("0303070080", HEX.formatHex(Der.namedBits(8)));
        assertEquals("030100", HEX.formatHex(Der.namedBits()));
    }

    @Test
    void time_before2050_isUtcTime_from2050_isGeneralizedTime() {
        assertEquals("170d3439313233313233353935395a",
                HEX.formatHex(Der.time(Instant.parse("2049-12-31T23:59:59Z"))));
        assertEquals("180f32303530303130313030303030305a",
                HEX.formatHex(Der.time(Instant.parse("2050-01-01T00:00:00Z"))));
        assertEquals("180f31393439313233313030303030305a",
                HEX.formatHex(Der.time(Instant.parse("1949-12-31T00:00:00Z"))));
    }

    @Test
    void time_fractionalSecond_throws() {
        assertThrows(IllegalArgumentException.class, () -> Der.time(Instant.parse("2030-01-01T00:00:00.5Z")));
    }

    @Test
    void explicitAndImplicit_useContextTags() {
        assertEquals("a003020102", HEX.formatHex(Der.explicit(0, Der.integer(2))));
        assertEquals("82096c6f63616c686f7374", HEX.formatHex(Der.implicit(2, "localhost".getBytes())));
        assertThrows(IllegalArgumentException.class, () -> Der.implicit(31, new byte[0]));
    }

    @Test
    void subjectPublicKey_returnsKeyBitsOfSubjectPublicKeyInfo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] spki = keys.getPublic().getEncoded();

        byte[] bits = Der.subjectPublicKey(spki);

        assertEquals(65, bits.length);  // an uncompressed P-256 point: 04 || x || y
        assertEquals(4, bits[0]);
        assertArrayEquals(Arrays.copyOfRange(spki, spki.length - 65, spki.length), bits);
        assertThrows(IllegalArgumentException.class, () -> Der.subjectPublicKey(Der.integer(1)));
    }
}
