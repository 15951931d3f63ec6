package dev.nano.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * The indexes of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#indexes),
 * built on first use from the JDK's charsets and corrected where the JDK's tables differ. Each
 * table was compared, pointer by pointer, with the standard's index files (the copies in WPT's
 * encoding tests); the corrections below are exactly the differences found. A 0 entry is the
 * index's null.
 *
 * <ul>
 *   <li>jis0208: windows-31j, identical.</li>
 *   <li>jis0212: the JDK's EUC-JP three-byte (0x8F) sequences, identical.</li>
 *   <li>EUC-KR: x-windows-949 without its private-use mappings (the index has none).</li>
 *   <li>Big5: Big5-HKSCS without private-use mappings, plus {@link #BIG5_CORRECTIONS}.</li>
 *   <li>gb18030: the JDK's GB18030 (the 2022 edition). The two-byte index matches the
 *       standard's test vectors (including the 2022 changes the standard adopted); the full
 *       two-byte index could not be compared here. The four-byte BMP range follows the
 *       standard's ranges exactly once the 18 code points that GB18030-2022 moved to the
 *       private use area are put back (the standard keeps them).</li>
 *   <li>Single-byte: the JDK charset of the same name, with the windows code pages' unmapped
 *       bytes mapped to the C1 controls as the standard's indexes do, and a few corrections
 *       (KOI8-U, windows-1255, x-mac-cyrillic); ISO-8859-10 and ISO-8859-14 are not in the JDK
 *       and are written out below.</li>
 * </ul>
 */
final class EncodingIndexes {

    private EncodingIndexes() {
    }

    /** Pointer, code point: where the standard's index big5 differs from the JDK's Big5-HKSCS. */
    private static final int[] BIG5_CORRECTIONS = {
            2082, 0x7BB8, 2088, 0x7C06, 2103, 0x7CCE, 2114, 0x7DD2, 2123, 0x7E1D, 2148, 0x8005, 2151, 0x8028,
            2221, 0x83C1, 2239, 0x84A8, 2244, 0x840F, 2303, 0x89A6, 2304, 0x89A9, 2354, 0x8D77, 2400, 0x90FD,
            2413, 0x92B9, 2477, 0x975C, 2498, 0x97FF, 2605, 0x9F16, 2673, 0x8503, 2746, 0x5159, 2747, 0x515B,
            2748, 0x515D, 2749, 0x515E, 2771, 0x936E, 2780, 0x7479, 2990, 0x6D67, 3087, 0x799B, 3259, 0x9097,
            3301, 0x975D, 3436, 0x701E, 3451, 0x5B28, 4136, 0x7201, 4138, 0x77D7, 4141, 0x7E87, 4182, 0x99D6,
            4206, 0x91D4, 4220, 0x60DE, 4230, 0x6FB6, 4241, 0x8F36, 4258, 0x4FBB, 4273, 0x71DF, 4279, 0x9104,
            4282, 0x9DF0, 4294, 0x83CF, 4329, 0x5C10, 4330, 0x79E3, 4349, 0x5A67, 4419, 0x8F0B, 4422, 0x7B51,
            4494, 0x62D0, 4624, 0x6062, 4694, 0x75F9, 4708, 0x6C4A, 4742, 0x9B2E, 4748, 0x9F17, 4815, 0x50ED,
            4828, 0x5F0C, 4902, 0x880F, 4922, 0x62CE, 4982, 0x7468, 4992, 0x7162, 4997, 0x7250, 5029, 0x2027,
            5038, 0xFE51, 5050, 0x2574, 5120, 0xAF, 5121, 0xFFE3, 5123, 0x2CD, 5153, 0xFF5E, 5168, 0x2295,
            5169, 0x2299, 5180, 0xFF0F, 5181, 0xFF3C, 5182, 0x2215, 5183, 0xFE68, 5185, 0xFFE5, 5187, 0xFFE0,
            5188, 0xFFE1, 5464, 0x2421, 5465, 0x20AC, 10942, 0x5EF4, 10946, 0x65E0, 10948, 0x7676,
            10950, 0x96B6, 10957, 0x3003, 10958, 0x4EDD, 19028, 0x5029, 19035, 0x507D, 19088, 0x5305,
            19096, 0x5344, 19112, 0x537F, 19162, 0x5605, 19240, 0x5A77, 19299, 0x5E75, 19305, 0x5ED0,
            19326, 0x5F58, 19355, 0x60A4, 19398, 0x6490, 19439, 0x6674, 19454, 0x675E, 19553, 0x6C9C,
            19554, 0x6E1D, 19557, 0x6E2F, 19611, 0x716E, 19643, 0x732A, 19672, 0x745C, 19697, 0x74E9,
            19748, 0x7809
    };

    // https://encoding.spec.whatwg.org/index-iso-8859-10.txt and -14.txt, bytes 0xA0 to 0xFF.
    private static final String ISO_8859_10_HIGH =
            "\u00A0\u0104\u0112\u0122\u012A\u0128\u0136\u00A7\u013B\u0110\u0160\u0166\u017D\u00AD\u016A\u014A"
            + "\u00B0\u0105\u0113\u0123\u012B\u0129\u0137\u00B7\u013C\u0111\u0161\u0167\u017E\u2015\u016B\u014B"
            + "\u0100\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u012E\u010C\u00C9\u0118\u00CB\u0116\u00CD\u00CE\u00CF"
            + "\u00D0\u0145\u014C\u00D3\u00D4\u00D5\u00D6\u0168\u00D8\u0172\u00DA\u00DB\u00DC\u00DD\u00DE\u00DF"
            + "\u0101\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u012F\u010D\u00E9\u0119\u00EB\u0117\u00ED\u00EE\u00EF"
            + "\u00F0\u0146\u014D\u00F3\u00F4\u00F5\u00F6\u0169\u00F8\u0173\u00FA\u00FB\u00FC\u00FD\u00FE\u0138";
    private static final String ISO_8859_14_HIGH =
            "\u00A0\u1E02\u1E03\u00A3\u010A\u010B\u1E0A\u00A7\u1E80\u00A9\u1E82\u1E0B\u1EF2\u00AD\u00AE\u0178"
            + "\u1E1E\u1E1F\u0120\u0121\u1E40\u1E41\u00B6\u1E56\u1E81\u1E57\u1E83\u1E60\u1EF3\u1E84\u1E85\u1E61"
            + "\u00C0\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u00C7\u00C8\u00C9\u00CA\u00CB\u00CC\u00CD\u00CE\u00CF"
            + "\u0174\u00D1\u00D2\u00D3\u00D4\u00D5\u00D6\u1E6A\u00D8\u00D9\u00DA\u00DB\u00DC\u00DD\u0176\u00DF"
            + "\u00E0\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u00E7\u00E8\u00E9\u00EA\u00EB\u00EC\u00ED\u00EE\u00EF"
            + "\u0175\u00F1\u00F2\u00F3\u00F4\u00F5\u00F6\u1E6B\u00F8\u00F9\u00FA\u00FB\u00FC\u00FD\u0177\u00FF";

    private static final class Jis0208 {
        static final char[] INDEX = build(11280, p -> {
            int lead = p / 188;
            int trail = p % 188;
            return new byte[] {(byte) (lead < 0x1F ? lead + 0x81 : lead + 0xC1),
                (byte) (trail < 0x3F ? trail + 0x40 : trail + 0x41)};
        }, "windows-31j", false);
    }

    private static final class Jis0212 {
        static final char[] INDEX = build(8836,
                p -> new byte[] {(byte) 0x8F, (byte) (p / 94 + 0xA1), (byte) (p % 94 + 0xA1)}, "EUC-JP", false);
    }

    private static final class EucKr {
        static final char[] INDEX = build(23940,
                p -> new byte[] {(byte) (p / 190 + 0x81), (byte) (p % 190 + 0x41)}, "x-windows-949", true);
    }

    private static final class Gb18030 {
        static final char[] INDEX = build(23940, p -> {
            int trail = p % 190;
            return new byte[] {(byte) (p / 190 + 0x81), (byte) (trail < 0x3F ? trail + 0x40 : trail + 0x41)};
        }, "GB18030", false);

        /** Pointer 0 to 39419 of the four-byte sequences (the BMP part of index gb18030 ranges). */
        static final char[] RANGES = buildRanges();

        private static char[] buildRanges() {
            char[] table = build(39420, p -> new byte[] {(byte) (p / 12600 + 0x81), (byte) (p % 12600 / 1260 + 0x30),
                (byte) (p % 1260 / 10 + 0x81), (byte) (p % 10 + 0x30)}, "GB18030", false);
            // GB18030-2022 moved these to the private use area; the standard's ranges keep them.
            for (int i = 0; i < 8; i++) {
                table[19057 + i] = (char) (0x9FB4 + i);
            }
            for (int i = 0; i < 10; i++) {
                table[39076 + i] = (char) (0xFE10 + i);
            }
            return table;
        }
    }

    private static final class Big5 {
        static final int[] INDEX = buildBig5();

        private static int[] buildBig5() {
            int[] table = new int[19782];
            String[] decoded = decodeAll(table.length, p -> {
                int trail = p % 157;
                return new byte[] {(byte) (p / 157 + 0x81), (byte) (trail < 0x3F ? trail + 0x40 : trail + 0x62)};
            }, Charset.forName("Big5-HKSCS"));
            for (int p = 0; p < table.length; p++) {
                String s = decoded[p];
                if (s != null && s.codePointCount(0, s.length()) == 1 && !isPrivateUse(s.codePointAt(0))) {
                    table[p] = s.codePointAt(0);
                }
            }
            for (int i = 0; i < 32; i++) {
                table[5432 + i] = 0x2400 + i;
            }
            for (int i = 0; i < BIG5_CORRECTIONS.length; i += 2) {
                table[BIG5_CORRECTIONS[i]] = BIG5_CORRECTIONS[i + 1];
            }
            return table;
        }
    }

    static char[] jis0208() {
        return Jis0208.INDEX;
    }

    static char[] jis0212() {
        return Jis0212.INDEX;
    }

    static char[] eucKr() {
        return EucKr.INDEX;
    }

    static char[] gb18030() {
        return Gb18030.INDEX;
    }

    static int[] big5() {
        return Big5.INDEX;
    }

    /** https://encoding.spec.whatwg.org/#index-gb18030-ranges-code-point, or -1 for null. */
    static int gb18030RangesCodePoint(int pointer) {
        if (pointer > 39419 && pointer < 189000 || pointer > 1237575) {
            return -1;
        }
        if (pointer >= 189000) {
            return 0x10000 + pointer - 189000;
        }
        if (pointer == 7457) {
            return 0xE7C7;
        }
        return Gb18030.RANGES[pointer];
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, char[]> SINGLE_BYTE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The 128 code points of bytes 0x80 to 0xFF for a single-byte encoding's name (or
     * x-user-defined), or null if the name is not one.
     */
    static char[] singleByte(String name) {
        return SINGLE_BYTE.computeIfAbsent(name, EncodingIndexes::buildSingleByte);
    }

    private static char[] buildSingleByte(String name) {
        char[] table = new char[128];
        switch (name) {
            case "x-user-defined" -> {
                for (int i = 0; i < 128; i++) {
                    table[i] = (char) (0xF780 + i);
                }
                return table;
            }
            case "ISO-8859-10", "ISO-8859-14" -> {
                String high = name.equals("ISO-8859-10") ? ISO_8859_10_HIGH : ISO_8859_14_HIGH;
                for (int i = 0; i < 32; i++) {
                    table[i] = (char) (0x80 + i);
                }
                high.getChars(0, 96, table, 32);
                return table;
            }
            default -> { }
        }
        String jdkName = switch (name) {
            case "IBM866", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7",
                 "ISO-8859-8", "ISO-8859-13", "ISO-8859-15", "ISO-8859-16", "KOI8-R", "KOI8-U", "windows-1250",
                 "windows-1251", "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
                 "windows-1257", "windows-1258" -> name;
            case "ISO-8859-8-I" -> "ISO-8859-8";
            case "windows-874" -> "x-windows-874";
            case "macintosh" -> "x-MacRoman";
            case "x-mac-cyrillic" -> "x-MacCyrillic";
            default -> null;
        };
        if (jdkName == null) {
            return null;
        }
        Charset charset = Charset.forName(jdkName);
        boolean windows = name.startsWith("windows-");
        for (int i = 0; i < 128; i++) {
            String s = decode(charset, new byte[] {(byte) (0x80 + i)});
            if (s != null && s.length() == 1) {
                table[i] = s.charAt(0);
            } else if (windows && i < 0x20) {
                // The standard's windows-* indexes map the code pages' holes in 0x80-0x9F to the
                // C1 controls.
                table[i] = (char) (0x80 + i);
            }
        }
        switch (name) {
            case "KOI8-U" -> {
                table[0xAE - 0x80] = '\u045E';
                table[0xBE - 0x80] = '\u040E';
            }
            case "windows-1255" -> table[0xCA - 0x80] = '\u05BA';
            case "x-mac-cyrillic" -> {
                table[0xA2 - 0x80] = '\u0490';
                table[0xB6 - 0x80] = '\u0491';
                table[0xFF - 0x80] = '\u20AC';
            }
            default -> { }
        }
        return table;
    }

    private interface PointerBytes {
        byte[] of(int pointer);
    }

    private static char[] build(int size, PointerBytes bytes, String charsetName, boolean dropPrivateUse) {
        String[] decoded = decodeAll(size, bytes, Charset.forName(charsetName));
        char[] table = new char[size];
        for (int p = 0; p < size; p++) {
            String s = decoded[p];
            if (s != null && s.length() == 1 && !(dropPrivateUse && isPrivateUse(s.charAt(0)))) {
                table[p] = s.charAt(0);
            }
        }
        return table;
    }

    /**
     * What the charset decodes each pointer's bytes to, or null where it reports an error. One
     * decode of all the sequences, each followed by a line feed (no lead or trail byte is one, so
     * a malformed sequence cannot swallow it): one call per pointer took 0.2-0.6 s a table.
     */
    private static String[] decodeAll(int size, PointerBytes bytes, Charset charset) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(size * 5);
        for (int p = 0; p < size; p++) {
            all.writeBytes(bytes.of(p));
            all.write('\n');
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith("\uFFFD");
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(all.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
        String[] decoded = new String[size];
        int start = 0;
        for (int p = 0; p < size; p++) {
            int end = text.indexOf('\n', start);
            String s = text.substring(start, end);
            decoded[p] = s.indexOf('\uFFFD') >= 0 ? null : s;
            start = end + 1;
        }
        return decoded;
    }

    private static boolean isPrivateUse(int codePoint) {
        return codePoint >= 0xE000 && codePoint <= 0xF8FF || codePoint >= 0xF0000;
    }

    private static CharsetDecoder strict(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String decode(Charset charset, byte[] bytes) {
        return decode(strict(charset), bytes);
    }

    private static String decode(CharsetDecoder decoder, byte[] bytes) {
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
