package dev.nano.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Host side of the Encoding Standard (https://encoding.spec.whatwg.org/): UTF-8 for bodies and
 * TextEncoder, and the decoders behind TextDecoder; and HTML's base64 (atob, btoa).
 *
 * <p><b>Concurrency:</b> one instance per Context, used only on the thread that entered it
 * ({@link #lastRead} carries a result from one call to the next).
 */
public final class EncodingOps {

    private int lastRead;

    /**
     * UTF-8 bytes of a string. The prelude passes scalar value strings (USVString, lone
     * surrogates already U+FFFD): the JDK would encode a lone surrogate as '?'.
     */
    @HostAccess.Export
    public ByteBuffer encodeUtf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * https://encoding.spec.whatwg.org/#dom-textencoder-encodeinto: the UTF-8 bytes of the
     * longest prefix of whole code points of a scalar value string that fit in
     * {@code capacity} bytes. How many UTF-16 code units that prefix holds is then
     * {@link #lastRead}.
     */
    @HostAccess.Export
    public ByteBuffer encodeUtf8Into(String text, int capacity) {
        int length = text.length();
        byte[] out = new byte[(int) Math.min(capacity, 3L * length)];
        int read = 0;
        int written = 0;
        while (read < length) {
            char c = text.charAt(read);
            if (c < 0x80) {
                if (written + 1 > capacity) {
                    break;
                }
                out[written++] = (byte) c;
                read++;
            } else if (c < 0x800) {
                if (written + 2 > capacity) {
                    break;
                }
                out[written++] = (byte) (0xC0 | c >> 6);
                out[written++] = (byte) (0x80 | c & 0x3F);
                read++;
            } else if (Character.isHighSurrogate(c) && read + 1 < length
                    && Character.isLowSurrogate(text.charAt(read + 1))) {
                if (written + 4 > capacity) {
                    break;
                }
                int cp = Character.toCodePoint(c, text.charAt(read + 1));
                out[written++] = (byte) (0xF0 | cp >> 18);
                out[written++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[written++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[written++] = (byte) (0x80 | cp & 0x3F);
                read += 2;
            } else {
                if (written + 3 > capacity) {
                    break;
                }
                int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                out[written++] = (byte) (0xE0 | cp >> 12);
                out[written++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[written++] = (byte) (0x80 | cp & 0x3F);
                read++;
            }
        }
        lastRead = read;
        return ByteBuffer.wrap(out, 0, written).slice();
    }

    /** UTF-16 code units consumed by the last {@link #encodeUtf8Into}. */
    @HostAccess.Export
    public int lastRead() {
        return lastRead;
    }

    /**
     * https://encoding.spec.whatwg.org/#utf-8-decode: a leading BOM is dropped, malformed
     * sequences become U+FFFD (one per maximal subpart, as the standard's decoder does).
     */
    @HostAccess.Export
    public String decodeUtf8(Value arrayBuffer, int offset, int length) {
        byte[] bytes = new byte[length];
        arrayBuffer.readBuffer(offset, bytes, 0, length);
        int start = length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        return Decoder.Utf8.decodeWhole(bytes, start, length - start);
    }

    /**
     * A decoder for an encoding's name as the standard spells it (the prelude resolves labels:
     * https://encoding.spec.whatwg.org/#concept-encoding-get).
     */
    @HostAccess.Export
    public StreamDecoder createDecoder(String encoding, boolean fatal, boolean ignoreBom) {
        return new StreamDecoder(encoding, fatal, ignoreBom);
    }

    /**
     * https://html.spec.whatwg.org/multipage/webappapis.html#dom-btoa: null when the string has
     * a code point above U+00FF (the prelude throws InvalidCharacterError).
     */
    @HostAccess.Export
    public String btoa(String data) {
        int length = data.length();
        for (int i = 0; i < length; i++) {
            if (data.charAt(i) > 0xFF) {
                return null;
            }
        }
        return Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * https://infra.spec.whatwg.org/#forgiving-base64-decode, the bytes as a string of code
     * points U+0000 to U+00FF; null on failure (the prelude throws InvalidCharacterError).
     */
    @HostAccess.Export
    public String atob(String data) {
        int length = data.length();
        // Step 1: drop ASCII whitespace.
        char[] chars = new char[length];
        int n = 0;
        for (int i = 0; i < length; i++) {
            char c = data.charAt(i);
            if (c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != ' ') {
                chars[n++] = c;
            }
        }
        // Step 2: one or two '=' end a length divisible by 4.
        if (n % 4 == 0 && n > 0 && chars[n - 1] == '=') {
            n--;
            if (n > 0 && chars[n - 1] == '=') {
                n--;
            }
        }
        // Step 3.
        if (n % 4 == 1) {
            return null;
        }
        byte[] out = new byte[n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)];
        int buffer = 0;
        int bits = 0;
        int written = 0;
        for (int i = 0; i < n; i++) {
            int value = base64Value(chars[i]);
            // Step 4: anything else, '=' included, fails.
            if (value < 0) {
                return null;
            }
            buffer = buffer << 6 | value;
            bits += 6;
            if (bits == 24) {
                out[written++] = (byte) (buffer >> 16);
                out[written++] = (byte) (buffer >> 8);
                out[written++] = (byte) buffer;
                buffer = 0;
                bits = 0;
            }
        }
        // Step 6: the leftover bits beyond whole bytes are discarded.
        if (bits == 12) {
            out[written++] = (byte) (buffer >> 4);
        } else if (bits == 18) {
            out[written++] = (byte) (buffer >> 10);
            out[written++] = (byte) (buffer >> 2);
        }
        return new String(out, 0, written, StandardCharsets.ISO_8859_1);
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        return c == '/' ? 63 : -1;
    }
}
