package dev.nano.web;

import java.nio.charset.StandardCharsets;

/**
 * The decoders of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/), one
 * instance per decode stream. Each legacy decoder is the standard's handler written out byte by
 * byte, because the JDK's charsets disagree with it on how many bytes an error consumes (the
 * standard re-reads an ASCII trail byte; the JDK swallows it) and on which indexes they use.
 * The indexes themselves mostly come from the JDK's charsets: see {@link EncodingIndexes}.
 *
 * <p>A handler returns {@link #CONTINUE}, {@link #ERROR} or {@link #FINISHED}; it emits code
 * points into the output itself and "prepends" bytes to the stream through {@link #prepend},
 * which the driver reads before the next input byte (also across stream chunks).
 */
abstract class Decoder {

    static final int CONTINUE = 0;
    static final int ERROR = 1;
    static final int FINISHED = 2;
    /** The standard's end-of-queue, read once the input is exhausted and the stream flushes. */
    static final int EOQ = -1;

    private final int[] pending = new int[4];
    private int pendingCount;

    /** Prepends bytes so that {@code bytes[0]} is read first; end-of-queue stays where it is. */
    final void prepend(int... bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != EOQ) {
                pending[pendingCount++] = bytes[i];
            }
        }
    }

    abstract int handle(int b, StringBuilder out);

    /**
     * https://encoding.spec.whatwg.org/#concept-encoding-process for every byte of the chunk and,
     * when {@code flush}, end-of-queue until the decoder finishes. Returns false at the first
     * error when {@code fatal} (the output is then meaningless); otherwise errors become U+FFFD.
     */
    boolean decode(byte[] in, int offset, int length, boolean flush, boolean fatal, StringBuilder out) {
        int i = offset;
        int end = offset + length;
        while (true) {
            int b;
            if (pendingCount > 0) {
                b = pending[--pendingCount];
            } else if (i < end) {
                b = in[i++] & 0xFF;
            } else if (flush) {
                b = EOQ;
            } else {
                return true;
            }
            int result = handle(b, out);
            if (result == ERROR) {
                if (fatal) {
                    return false;
                }
                out.append('\uFFFD');
            } else if (result == FINISHED) {
                return true;
            }
        }
    }

    /** A new decoder for an encoding's name as the standard spells it (the JS side resolves labels). */
    static Decoder forName(String name) {
        return switch (name) {
            case "UTF-8" -> new Utf8();
            case "UTF-16LE" -> new Utf16(true);
            case "UTF-16BE" -> new Utf16(false);
            case "gb18030", "GBK" -> new Gb18030();
            case "Big5" -> new Big5();
            case "EUC-JP" -> new EucJp();
            case "ISO-2022-JP" -> new Iso2022Jp();
            case "Shift_JIS" -> new ShiftJis();
            case "EUC-KR" -> new EucKr();
            case "replacement" -> new Replacement();
            default -> {
                char[] table = EncodingIndexes.singleByte(name);
                if (table == null) {
                    throw new IllegalArgumentException("no decoder for " + name);
                }
                yield new SingleByte(table);
            }
        };
    }

    static boolean isAscii(int b) {
        return b >= 0 && b < 0x80;
    }

    /** https://encoding.spec.whatwg.org/#utf-8-decoder */
    static final class Utf8 extends Decoder {
        private int codePoint;
        private int bytesSeen;
        private int bytesNeeded;
        private int lower = 0x80;
        private int upper = 0xBF;

        boolean clean() {
            return bytesNeeded == 0;
        }

        /**
         * One complete input, decoded through the JDK's String constructor (intrinsified, and the
         * common case): its output is the standard's whenever it holds no U+FFFD. Otherwise the
         * JDK's replacement may differ from the standard's (it takes ED A0 as one maximal subpart,
         * the standard errs on each byte), so the standard's decoder decodes it again.
         */
        static String decodeWhole(byte[] bytes, int offset, int length) {
            String fast = new String(bytes, offset, length, StandardCharsets.UTF_8);
            if (fast.indexOf('\uFFFD') < 0) {
                return fast;
            }
            StringBuilder out = new StringBuilder(length);
            new Utf8().decode(bytes, offset, length, true, false, out);
            return out.toString();
        }

        @Override
        boolean decode(byte[] in, int offset, int length, boolean flush, boolean fatal, StringBuilder out) {
            int i = offset;
            int end = offset + length;
            while (true) {
                // ASCII runs, between sequences, skip the handler.
                if (bytesNeeded == 0) {
                    while (i < end && in[i] >= 0) {
                        out.append((char) in[i++]);
                    }
                }
                int b;
                if (i < end) {
                    b = in[i++] & 0xFF;
                } else if (flush) {
                    b = EOQ;
                } else {
                    return true;
                }
                int result = handleUtf8(b, out);
                if (result == ERROR) {
                    boolean prepended = reprocess;
                    reprocess = false;
                    if (fatal) {
                        return false;
                    }
                    out.append('\uFFFD');
                    if (prepended) {
                        // The handler prepended the byte: read it again.
                        i--;
                    }
                } else if (result == FINISHED) {
                    return true;
                }
            }
        }

        /** Set by the handler when it prepends the byte it was given (always this chunk's). */
        private boolean reprocess;

        @Override
        int handle(int b, StringBuilder out) {
            throw new UnsupportedOperationException("UTF-8 decodes through its own loop");
        }

        private int handleUtf8(int b, StringBuilder out) {
            if (b == EOQ) {
                if (bytesNeeded != 0) {
                    bytesNeeded = 0;
                    return ERROR;
                }
                return FINISHED;
            }
            if (bytesNeeded == 0) {
                if (b < 0x80) {
                    out.append((char) b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    bytesNeeded = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    if (b == 0xE0) {
                        lower = 0xA0;
                    } else if (b == 0xED) {
                        upper = 0x9F;
                    }
                    bytesNeeded = 2;
                    codePoint = b & 0xF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    if (b == 0xF0) {
                        lower = 0x90;
                    } else if (b == 0xF4) {
                        upper = 0x8F;
                    }
                    bytesNeeded = 3;
                    codePoint = b & 0x7;
                } else {
                    return ERROR;
                }
                return CONTINUE;
            }
            if (b < lower || b > upper) {
                codePoint = 0;
                bytesNeeded = 0;
                bytesSeen = 0;
                lower = 0x80;
                upper = 0xBF;
                reprocess = true;
                return ERROR;
            }
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (b & 0x3F);
            bytesSeen++;
            if (bytesSeen != bytesNeeded) {
                return CONTINUE;
            }
            out.appendCodePoint(codePoint);
            codePoint = 0;
            bytesNeeded = 0;
            bytesSeen = 0;
            return CONTINUE;
        }
    }

    /** https://encoding.spec.whatwg.org/#shared-utf-16-decoder */
    static final class Utf16 extends Decoder {
        private final boolean littleEndian;
        private int leadByte = -1;
        private int leadSurrogate = -1;

        Utf16(boolean littleEndian) {
            this.littleEndian = littleEndian;
        }

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ) {
                if (leadByte != -1 || leadSurrogate != -1) {
                    leadByte = -1;
                    leadSurrogate = -1;
                    return ERROR;
                }
                return FINISHED;
            }
            if (leadByte == -1) {
                leadByte = b;
                return CONTINUE;
            }
            int codeUnit = littleEndian ? leadByte + (b << 8) : (leadByte << 8) + b;
            leadByte = -1;
            if (leadSurrogate != -1) {
                int lead = leadSurrogate;
                leadSurrogate = -1;
                if (codeUnit >= 0xDC00 && codeUnit <= 0xDFFF) {
                    out.append((char) lead).append((char) codeUnit);
                    return CONTINUE;
                }
                int byte1 = codeUnit >> 8;
                int byte2 = codeUnit & 0xFF;
                if (littleEndian) {
                    prepend(byte2, byte1);
                } else {
                    prepend(byte1, byte2);
                }
                return ERROR;
            }
            if (codeUnit >= 0xD800 && codeUnit <= 0xDBFF) {
                leadSurrogate = codeUnit;
                return CONTINUE;
            }
            if (codeUnit >= 0xDC00 && codeUnit <= 0xDFFF) {
                return ERROR;
            }
            out.append((char) codeUnit);
            return CONTINUE;
        }
    }

    /**
     * https://encoding.spec.whatwg.org/#single-byte-decoder (x-user-defined too: its table is
     * U+F780 + byte - 0x80). A 0 in the table is the index's null.
     */
    static final class SingleByte extends Decoder {
        private final char[] table;

        SingleByte(char[] table) {
            this.table = table;
        }

        @Override
        boolean decode(byte[] in, int offset, int length, boolean flush, boolean fatal, StringBuilder out) {
            for (int i = offset, end = offset + length; i < end; i++) {
                int b = in[i] & 0xFF;
                if (b < 0x80) {
                    out.append((char) b);
                    continue;
                }
                char c = table[b - 0x80];
                if (c == 0) {
                    if (fatal) {
                        return false;
                    }
                    out.append('\uFFFD');
                } else {
                    out.append(c);
                }
            }
            return true;
        }

        @Override
        int handle(int b, StringBuilder out) {
            throw new UnsupportedOperationException("single-byte decoders decode through their own loop");
        }
    }

    /** https://encoding.spec.whatwg.org/#replacement-decoder */
    static final class Replacement extends Decoder {
        private boolean errorReturned;

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ || errorReturned) {
                return FINISHED;
            }
            errorReturned = true;
            return ERROR;
        }
    }

    /** https://encoding.spec.whatwg.org/#gb18030-decoder (GBK decodes the same way). */
    static final class Gb18030 extends Decoder {
        private int first;
        private int second;
        private int third;

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ) {
                if (first == 0 && second == 0 && third == 0) {
                    return FINISHED;
                }
                first = second = third = 0;
                return ERROR;
            }
            if (third != 0) {
                if (b < 0x30 || b > 0x39) {
                    prepend(second, third, b);
                    first = second = third = 0;
                    return ERROR;
                }
                int pointer = (first - 0x81) * (10 * 126 * 10) + (second - 0x30) * (10 * 126)
                        + (third - 0x81) * 10 + b - 0x30;
                first = second = third = 0;
                int codePoint = EncodingIndexes.gb18030RangesCodePoint(pointer);
                if (codePoint < 0) {
                    return ERROR;
                }
                out.appendCodePoint(codePoint);
                return CONTINUE;
            }
            if (second != 0) {
                if (b >= 0x81 && b <= 0xFE) {
                    third = b;
                    return CONTINUE;
                }
                prepend(second, b);
                first = second = 0;
                return ERROR;
            }
            if (first != 0) {
                if (b >= 0x30 && b <= 0x39) {
                    second = b;
                    return CONTINUE;
                }
                int lead = first;
                first = 0;
                int offset = b < 0x7F ? 0x40 : 0x41;
                int codePoint = 0;
                if (b >= 0x40 && b <= 0x7E || b >= 0x80 && b <= 0xFE) {
                    codePoint = EncodingIndexes.gb18030()[(lead - 0x81) * 190 + (b - offset)];
                }
                if (codePoint != 0) {
                    out.append((char) codePoint);
                    return CONTINUE;
                }
                if (isAscii(b)) {
                    prepend(b);
                }
                return ERROR;
            }
            if (b < 0x80) {
                out.append((char) b);
                return CONTINUE;
            }
            if (b == 0x80) {
                out.append('\u20AC');
                return CONTINUE;
            }
            if (b <= 0xFE) {
                first = b;
                return CONTINUE;
            }
            return ERROR;
        }
    }

    /** https://encoding.spec.whatwg.org/#big5-decoder */
    static final class Big5 extends Decoder {
        private int lead;

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ) {
                if (lead != 0) {
                    lead = 0;
                    return ERROR;
                }
                return FINISHED;
            }
            if (lead != 0) {
                int l = lead;
                int pointer = -1;
                lead = 0;
                int offset = b < 0x7F ? 0x40 : 0x62;
                if (b >= 0x40 && b <= 0x7E || b >= 0xA1 && b <= 0xFE) {
                    pointer = (l - 0x81) * 157 + (b - offset);
                }
                // Step 3.4: the four pointers that decode to two code points.
                switch (pointer) {
                    case 1133 -> {
                        out.append("\u00CA\u0304");
                        return CONTINUE;
                    }
                    case 1135 -> {
                        out.append("\u00CA\u030C");
                        return CONTINUE;
                    }
                    case 1164 -> {
                        out.append("\u00EA\u0304");
                        return CONTINUE;
                    }
                    case 1166 -> {
                        out.append("\u00EA\u030C");
                        return CONTINUE;
                    }
                    default -> { }
                }
                int codePoint = pointer < 0 ? 0 : EncodingIndexes.big5()[pointer];
                if (codePoint != 0) {
                    out.appendCodePoint(codePoint);
                    return CONTINUE;
                }
                if (isAscii(b)) {
                    prepend(b);
                }
                return ERROR;
            }
            if (b < 0x80) {
                out.append((char) b);
                return CONTINUE;
            }
            if (b >= 0x81 && b <= 0xFE) {
                lead = b;
                return CONTINUE;
            }
            return ERROR;
        }
    }

    /** https://encoding.spec.whatwg.org/#euc-jp-decoder */
    static final class EucJp extends Decoder {
        private boolean jis0212;
        private int lead;

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ) {
                if (lead != 0) {
                    lead = 0;
                    return ERROR;
                }
                return FINISHED;
            }
            if (lead == 0x8E && b >= 0xA1 && b <= 0xDF) {
                lead = 0;
                out.append((char) (0xFF61 - 0xA1 + b));
                return CONTINUE;
            }
            if (lead == 0x8F && b >= 0xA1 && b <= 0xFE) {
                jis0212 = true;
                lead = b;
                return CONTINUE;
            }
            if (lead != 0) {
                int l = lead;
                lead = 0;
                int codePoint = 0;
                if (l >= 0xA1 && l <= 0xFE && b >= 0xA1 && b <= 0xFE) {
                    char[] index = jis0212 ? EncodingIndexes.jis0212() : EncodingIndexes.jis0208();
                    codePoint = index[(l - 0xA1) * 94 + b - 0xA1];
                }
                jis0212 = false;
                if (codePoint != 0) {
                    out.append((char) codePoint);
                    return CONTINUE;
                }
                if (isAscii(b)) {
                    prepend(b);
                }
                return ERROR;
            }
            if (b < 0x80) {
                out.append((char) b);
                return CONTINUE;
            }
            if (b == 0x8E || b == 0x8F || b >= 0xA1 && b <= 0xFE) {
                lead = b;
                return CONTINUE;
            }
            return ERROR;
        }
    }

    /** https://encoding.spec.whatwg.org/#iso-2022-jp-decoder */
    static final class Iso2022Jp extends Decoder {
        private static final int ASCII = 0;
        private static final int ROMAN = 1;
        private static final int KATAKANA = 2;
        private static final int LEAD_BYTE = 3;
        private static final int TRAIL_BYTE = 4;
        private static final int ESCAPE_START = 5;
        private static final int ESCAPE = 6;

        private int state = ASCII;
        private int outputState = ASCII;
        private int lead;
        private boolean outputFlag;

        @Override
        int handle(int b, StringBuilder out) {
            switch (state) {
                case ASCII -> {
                    if (b == 0x1B) {
                        state = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == EOQ) {
                        return FINISHED;
                    }
                    outputFlag = false;
                    if (b <= 0x7F && b != 0x0E && b != 0x0F) {
                        out.append((char) b);
                        return CONTINUE;
                    }
                    return ERROR;
                }
                case ROMAN -> {
                    if (b == 0x1B) {
                        state = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == EOQ) {
                        return FINISHED;
                    }
                    outputFlag = false;
                    if (b == 0x5C) {
                        out.append('\u00A5');
                        return CONTINUE;
                    }
                    if (b == 0x7E) {
                        out.append('\u203E');
                        return CONTINUE;
                    }
                    if (b <= 0x7F && b != 0x0E && b != 0x0F) {
                        out.append((char) b);
                        return CONTINUE;
                    }
                    return ERROR;
                }
                case KATAKANA -> {
                    if (b == 0x1B) {
                        state = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == EOQ) {
                        return FINISHED;
                    }
                    outputFlag = false;
                    if (b >= 0x21 && b <= 0x5F) {
                        out.append((char) (0xFF61 - 0x21 + b));
                        return CONTINUE;
                    }
                    return ERROR;
                }
                case LEAD_BYTE -> {
                    if (b == 0x1B) {
                        state = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == EOQ) {
                        return FINISHED;
                    }
                    outputFlag = false;
                    if (b >= 0x21 && b <= 0x7E) {
                        lead = b;
                        state = TRAIL_BYTE;
                        return CONTINUE;
                    }
                    return ERROR;
                }
                case TRAIL_BYTE -> {
                    if (b == 0x1B) {
                        state = ESCAPE_START;
                        return ERROR;
                    }
                    state = LEAD_BYTE;
                    if (b >= 0x21 && b <= 0x7E) {
                        int codePoint = EncodingIndexes.jis0208()[(lead - 0x21) * 94 + b - 0x21];
                        if (codePoint == 0) {
                            return ERROR;
                        }
                        out.append((char) codePoint);
                        return CONTINUE;
                    }
                    // End-of-queue is prepended too: the driver reads it again.
                    return ERROR;
                }
                case ESCAPE_START -> {
                    if (b == 0x24 || b == 0x28) {
                        lead = b;
                        state = ESCAPE;
                        return CONTINUE;
                    }
                    prepend(b);
                    outputFlag = false;
                    state = outputState;
                    return ERROR;
                }
                default -> {
                    int l = lead;
                    lead = 0;
                    int next = -1;
                    if (l == 0x28 && b == 0x42) {
                        next = ASCII;
                    } else if (l == 0x28 && b == 0x4A) {
                        next = ROMAN;
                    } else if (l == 0x28 && b == 0x49) {
                        next = KATAKANA;
                    } else if (l == 0x24 && (b == 0x40 || b == 0x42)) {
                        next = LEAD_BYTE;
                    }
                    if (next != -1) {
                        state = outputState = next;
                        boolean output = outputFlag;
                        outputFlag = true;
                        return output ? ERROR : CONTINUE;
                    }
                    prepend(l, b);
                    outputFlag = false;
                    state = outputState;
                    return ERROR;
                }
            }
        }
    }

    /** https://encoding.spec.whatwg.org/#shift_jis-decoder */
    static final class ShiftJis extends Decoder {
        private int lead;

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ) {
                if (lead != 0) {
                    lead = 0;
                    return ERROR;
                }
                return FINISHED;
            }
            if (lead != 0) {
                int l = lead;
                int pointer = -1;
                lead = 0;
                int offset = b < 0x7F ? 0x40 : 0x41;
                int leadOffset = l < 0xA0 ? 0x81 : 0xC1;
                if (b >= 0x40 && b <= 0x7E || b >= 0x80 && b <= 0xFC) {
                    pointer = (l - leadOffset) * 188 + b - offset;
                }
                if (pointer >= 8836 && pointer <= 10715) {
                    out.append((char) (0xE000 - 8836 + pointer));
                    return CONTINUE;
                }
                int codePoint = pointer < 0 ? 0 : EncodingIndexes.jis0208()[pointer];
                if (codePoint != 0) {
                    out.append((char) codePoint);
                    return CONTINUE;
                }
                if (isAscii(b)) {
                    prepend(b);
                }
                return ERROR;
            }
            if (b <= 0x80) {
                out.append((char) b);
                return CONTINUE;
            }
            if (b >= 0xA1 && b <= 0xDF) {
                out.append((char) (0xFF61 - 0xA1 + b));
                return CONTINUE;
            }
            if (b >= 0x81 && b <= 0x9F || b >= 0xE0 && b <= 0xFC) {
                lead = b;
                return CONTINUE;
            }
            return ERROR;
        }
    }

    /** https://encoding.spec.whatwg.org/#euc-kr-decoder */
    static final class EucKr extends Decoder {
        private int lead;

        @Override
        int handle(int b, StringBuilder out) {
            if (b == EOQ) {
                if (lead != 0) {
                    lead = 0;
                    return ERROR;
                }
                return FINISHED;
            }
            if (lead != 0) {
                int l = lead;
                lead = 0;
                int codePoint = 0;
                if (b >= 0x41 && b <= 0xFE) {
                    codePoint = EncodingIndexes.eucKr()[(l - 0x81) * 190 + (b - 0x41)];
                }
                if (codePoint != 0) {
                    out.append((char) codePoint);
                    return CONTINUE;
                }
                if (isAscii(b)) {
                    prepend(b);
                }
                return ERROR;
            }
            if (b < 0x80) {
                out.append((char) b);
                return CONTINUE;
            }
            if (b >= 0x81 && b <= 0xFE) {
                lead = b;
                return CONTINUE;
            }
            return ERROR;
        }
    }
}
