package dev.nano.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/** Host side of UTF-8 encoding and decoding for bodies and TextEncoder/TextDecoder. */
public final class EncodingOps {

    /** UTF-8 bytes of a string (lone surrogates become U+FFFD, as the Encoding spec says). */
    @HostAccess.Export
    public ByteBuffer encodeUtf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * https://encoding.spec.whatwg.org/#utf-8-decode: a leading BOM is dropped, malformed
     * sequences become U+FFFD.
     */
    @HostAccess.Export
    public String decodeUtf8(Value arrayBuffer, int offset, int length) {
        byte[] bytes = new byte[length];
        arrayBuffer.readBuffer(offset, bytes, 0, length);
        int start = length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        return new String(bytes, start, length - start, StandardCharsets.UTF_8);
    }
}
