package dev.nano.web;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The decoding half of a TextDecoder (https://encoding.spec.whatwg.org/#interface-textdecoder):
 * a decoder instance, the "do not flush" and "BOM seen" flags, and the BOM-stripping
 * serialization. Held by the prelude in a TextDecoder's internal state, never by app code.
 *
 * <p><b>Concurrency:</b> used only on the thread that has entered its Context.
 */
public final class StreamDecoder {

    private final String encoding;
    private final boolean fatal;
    private final boolean ignoreBom;
    private final boolean unicode;
    private Decoder decoder;
    private boolean doNotFlush;
    private boolean bomSeen;

    StreamDecoder(String encoding, boolean fatal, boolean ignoreBom) {
        this.encoding = encoding;
        this.fatal = fatal;
        this.ignoreBom = ignoreBom;
        this.unicode = encoding.equals("UTF-8") || encoding.equals("UTF-16LE") || encoding.equals("UTF-16BE");
        this.decoder = Decoder.forName(encoding);
    }

    /**
     * https://encoding.spec.whatwg.org/#dom-textdecoder-decode with the bytes of an ArrayBuffer
     * (or SharedArrayBuffer) range, copied first as step 3 says. Returns null where a fatal
     * decoder hit an error: the prelude throws the TypeError.
     */
    @HostAccess.Export
    public String decode(Value buffer, int offset, int length, boolean stream) {
        byte[] bytes = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, bytes, 0, length);
        }
        return decodeBytes(bytes, 0, length, stream);
    }

    String decodeBytes(byte[] bytes, int offset, int length, boolean stream) {
        // Step 1: a decode after one that flushed starts over.
        if (!doNotFlush) {
            decoder = Decoder.forName(encoding);
            bomSeen = false;
        }
        doNotFlush = stream;
        String output;
        if (!stream && decoder instanceof Decoder.Utf8 utf8 && utf8.clean()) {
            output = Decoder.Utf8.decodeWhole(bytes, offset, length);
            if (fatal && output.indexOf('\uFFFD') >= 0 && !validUtf8(bytes, offset, length)) {
                return null;
            }
        } else {
            StringBuilder out = new StringBuilder(length + 1);
            if (!decoder.decode(bytes, offset, length, !stream, fatal, out)) {
                return null;
            }
            output = out.toString();
        }
        // https://encoding.spec.whatwg.org/#concept-td-serialize: the first code point only.
        if (unicode && !ignoreBom && !bomSeen && !output.isEmpty()) {
            bomSeen = true;
            if (output.charAt(0) == '\uFEFF') {
                output = output.substring(1);
            }
        }
        return output;
    }

    private static boolean validUtf8(byte[] bytes, int offset, int length) {
        return new Decoder.Utf8().decode(bytes, offset, length, true, true, new StringBuilder(length));
    }
}
