package dev.nano.web.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import org.graalvm.polyglot.Value;

/** Byte strings across the binding, base64url (RFC 7515 section 2) and big-endian integers. */
final class Octets {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private Octets() {
    }

    /** The bytes of a JS ArrayBuffer (the prelude passes exact-length copies); null stays null. */
    static byte[] of(Value arrayBuffer) {
        if (arrayBuffer == null || arrayBuffer.isNull()) {
            return null;
        }
        if (!arrayBuffer.hasBufferElements()) {
            throw new IllegalArgumentException("not an ArrayBuffer");
        }
        long size = arrayBuffer.getBufferSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw CryptoFailure.operation("the data is too large");
        }
        byte[] bytes = new byte[(int) size];
        arrayBuffer.readBuffer(0, bytes, 0, bytes.length);
        return bytes;
    }

    static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    /** A JWK member's bytes; DataError for anything that is not base64url. */
    static byte[] fromBase64url(String text, String member) {
        if (text == null) {
            throw CryptoFailure.data("the JWK has no '" + member + "'");
        }
        if (text.indexOf('=') >= 0 || text.indexOf('+') >= 0 || text.indexOf('/') >= 0) {
            throw CryptoFailure.data("the JWK member '" + member + "' is not base64url");
        }
        try {
            return BASE64URL_DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw CryptoFailure.data("the JWK member '" + member + "' is not base64url");
        }
    }

    static BigInteger unsigned(byte[] bytes) {
        return new BigInteger(1, bytes);
    }

    /** Big-endian without leading zeros (JWA's "Base64urlUInt"); zero is one zero byte. */
    static byte[] minimal(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }

    /** Big-endian, left-padded with zeros to exactly {@code length} bytes. */
    static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = minimal(value);
        if (bytes.length > length) {
            throw CryptoFailure.data("an integer is longer than its field");
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
