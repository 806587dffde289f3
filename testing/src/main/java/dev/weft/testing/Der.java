package dev.weft.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * A DER (ITU-T X.690 Distinguished Encoding Rules) encoder for the few ASN.1 types an
 * X.509 certificate needs, and a reader for the one structure {@link TestCertificateAuthority}
 * takes apart. Every method returns a whole element: identifier octet, length, contents.
 * Elements nest by passing encoded children to {@link #sequence}, {@link #set} or
 * {@link #explicit}.
 *
 * <h2>What DER asks of the caller</h2>
 * DER has one encoding per value; the methods here produce it (minimal lengths, minimal
 * integers, no trailing zero bits in a named bit string) but cannot know ASN.1 defaults:
 * a field equal to its {@code DEFAULT} (an extension's {@code critical FALSE}, a basic
 * constraint's {@code cA FALSE}) must be left out by the caller. Only low tag numbers
 * (0 to 30) are supported, which is all X.509 uses.
 */
final class Der {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    /** The class bits of a context-specific tag; primitive unless {@link #CONSTRUCTED} is added. */
    private static final int CONTEXT_SPECIFIC = 0x80;
    private static final int CONSTRUCTED = 0x20;
    private static final int MAX_LOW_TAG_NUMBER = 30;

    /** RFC 5280 section 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
    private static final int FIRST_GENERALIZED_TIME_YEAR = 2050;
    private static final DateTimeFormatter UTC_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {
    }

    // ---------------------------------------------------------------- constructed types

    /** {@code SEQUENCE}: the concatenation of already-encoded elements, in order. */
    static byte[] sequence(byte[]... elements) {
        return element(SEQUENCE, concat(elements));
    }

    /**
     * {@code SET OF} with a single element, as each RDN of a distinguished name is. (DER
     * sorts the elements of a larger set; no caller needs one.)
     */
    static byte[] set(byte[] element) {
        return element(SET, element);
    }

    /** {@code [tagNumber] EXPLICIT}: a constructed context tag around one encoded element. */
    static byte[] explicit(int tagNumber, byte[] element) {
        return element(CONTEXT_SPECIFIC | CONSTRUCTED | checkTagNumber(tagNumber), element);
    }

    /**
     * {@code [tagNumber] IMPLICIT} of a primitive type: the contents of that type under a
     * context tag, as in {@code dNSName [2] IA5String} or {@code keyIdentifier [0]}.
     */
    static byte[] implicit(int tagNumber, byte[] contents) {
        return element(CONTEXT_SPECIFIC | checkTagNumber(tagNumber), contents);
    }

    // ---------------------------------------------------------------- primitive types

    /** {@code BOOLEAN}: {@code FF} for true, {@code 00} for false. */
    static byte[] bool(boolean value) {
        return element(BOOLEAN, new byte[] {value ? (byte) 0xff : 0});
    }

    /** {@code INTEGER} in the fewest two's-complement octets. */
    static byte[] integer(BigInteger value) {
        return element(INTEGER, value.toByteArray());
    }

    /** {@code INTEGER} in the fewest two's-complement octets. */
    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    /**
     * {@code OBJECT IDENTIFIER} from dotted decimal, such as {@code "2.5.29.17"}.
     *
     * @throws IllegalArgumentException if {@code dotted} has fewer than two arcs, a
     *     non-numeric arc, or a first arc above 2
     */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.", -1);
        if (arcs.length < 2) {
            throw new IllegalArgumentException("object identifier needs at least two arcs, was \"" + dotted + "\"");
        }
        BigInteger[] values = new BigInteger[arcs.length];
        for (int i = 0; i < arcs.length; i++) {
            if (arcs[i].isEmpty() || !arcs[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("object identifier arc " + i + " must be a decimal number, was \""
                        + dotted + "\"");
            }
            values[i] = new BigInteger(arcs[i]);
        }
        if (values[0].compareTo(BigInteger.TWO) > 0) {
            throw new IllegalArgumentException("object identifier's first arc must be 0, 1 or 2, was \"" + dotted + "\"");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // X.690 8.19.4: the first two arcs share one subidentifier, 40 * first + second.
        writeBase128(out, values[0].multiply(BigInteger.valueOf(40)).add(values[1]));
        for (int i = 2; i < values.length; i++) {
            writeBase128(out, values[i]);
        }
        return element(OBJECT_IDENTIFIER, out.toByteArray());
    }

    /** {@code BIT STRING} holding whole octets (no unused bits), as keys and signatures are. */
    static byte[] bitString(byte[] octets) {
        byte[] contents = new byte[octets.length + 1];
        System.arraycopy(octets, 0, contents, 1, octets.length);
        return element(BIT_STRING, contents);
    }

    /**
     * {@code BIT STRING} of named bits, such as {@code KeyUsage}: bit 0 is the most
     * significant bit of the first octet. Trailing zero bits are dropped, as DER requires
     * (X.690 11.2.2).
     *
     * @throws IllegalArgumentException if a bit number is negative
     */
    static byte[] namedBits(int... bits) {
        int highest = -1;
        for (int bit : bits) {
            if (bit < 0) {
                throw new IllegalArgumentException("bit number must be >= 0, was " + bit);
            }
            highest = Math.max(highest, bit);
        }
        if (highest < 0) {
            return element(BIT_STRING, new byte[] {0});
        }
        byte[] contents = new byte[1 + highest / 8 + 1];
        for (int bit : bits) {
            contents[1 + bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        contents[0] = (byte) (7 - highest % 8);
        return element(BIT_STRING, contents);
    }

    /** {@code OCTET STRING}. */
    static byte[] octetString(byte[] octets) {
        return element(OCTET_STRING, octets);
    }

    /** {@code UTF8String}. */
    static byte[] utf8String(String value) {
        return element(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An X.509 {@code Time}: {@code UTCTime} for years 1950 to 2049 and
     * {@code GeneralizedTime} otherwise (RFC 5280 section 4.1.2.5), in whole seconds, UTC.
     *
     * @throws IllegalArgumentException if {@code instant} has a fraction of a second, which
     *     neither form may carry in a certificate, or its year is outside 0 to 9999
     */
    static byte[] time(Instant instant) {
        if (instant.getNano() != 0) {
            throw new IllegalArgumentException("certificate time must be whole seconds, was " + instant);
        }
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("certificate time's year must be 0 to 9999, was " + instant);
        }
        if (year >= 1950 && year < FIRST_GENERALIZED_TIME_YEAR) {
            return element(UTC_TIME, UTC_TIME_FORMAT.format(instant).getBytes(StandardCharsets.US_ASCII));
        }
        return element(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- reading

    /**
     * Returns the {@code subjectPublicKey} bits of a {@code SubjectPublicKeyInfo}, as
     * {@link java.security.PublicKey#getEncoded()} returns it: the contents of its
     * {@code BIT STRING} without the unused-bits octet. This is what RFC 5280 section
     * 4.2.1.2 hashes for a key identifier.
     *
     * @throws IllegalArgumentException if {@code spki} is not a DER {@code SEQUENCE} of an
     *     algorithm {@code SEQUENCE} and a whole-octet {@code BIT STRING}
     */
    static byte[] subjectPublicKey(byte[] spki) {
        int[] info = header(spki, 0, SEQUENCE);
        int[] algorithm = header(spki, info[0], SEQUENCE);
        int[] key = header(spki, algorithm[0] + algorithm[1], BIT_STRING);
        if (key[1] < 1 || spki[key[0]] != 0) {
            throw new IllegalArgumentException("subjectPublicKey must be a BIT STRING of whole octets");
        }
        return Arrays.copyOfRange(spki, key[0] + 1, key[0] + key[1]);
    }

    /**
     * Reads the header of the element at {@code offset}.
     *
     * @return {@code {offset of contents, length of contents}}
     * @throws IllegalArgumentException if the tag is not {@code expectedTag} or the length
     *     runs past the end of {@code der}
     */
    private static int[] header(byte[] der, int offset, int expectedTag) {
        if (offset + 2 > der.length || (der[offset] & 0xff) != expectedTag) {
            throw new IllegalArgumentException(String.format("expected tag 0x%02x at offset %d", expectedTag, offset));
        }
        int first = der[offset + 1] & 0xff;
        int position = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || position + octets > der.length) {
                throw new IllegalArgumentException("bad length at offset " + (offset + 1));
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[position++] & 0xff);
            }
        }
        if (position + length > der.length) {
            throw new IllegalArgumentException("element at offset " + offset + " runs past the end");
        }
        return new int[] {position, (int) length};
    }

    // ---------------------------------------------------------------- encoding

    /** Identifier octet, definite length (short form below 128, else long form), contents. */
    static byte[] element(int tag, byte[] contents) {
        int length = contents.length;
        int lengthOctets = length < 0x80 ? 0 : (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[2 + lengthOctets + length];
        out[0] = (byte) tag;
        if (lengthOctets == 0) {
            out[1] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | lengthOctets);
            for (int i = 0; i < lengthOctets; i++) {
                out[2 + i] = (byte) (length >>> (8 * (lengthOctets - 1 - i)));
            }
        }
        System.arraycopy(contents, 0, out, 2 + lengthOctets, length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int checkTagNumber(int tagNumber) {
        if (tagNumber < 0 || tagNumber > MAX_LOW_TAG_NUMBER) {
            throw new IllegalArgumentException("tag number must be 0 to 30, was " + tagNumber);
        }
        return tagNumber;
    }

    /** Writes a non-negative subidentifier in base 128, high groups first, bit 8 set on all but the last. */
    private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = value.shiftRight(7 * i).intValue() & 0x7f;
            out.write(i == 0 ? group : group | 0x80);
        }
    }
}
