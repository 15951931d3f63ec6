package dev.nano.isolate;

import org.graalvm.polyglot.Value;

/**
 * The one check for a byte range that JavaScript names in an ArrayBuffer: offsets and lengths
 * cross the binding from code an app shares, so they are checked before the host allocates or
 * copies anything, and without overflow (a huge offset plus a length must not wrap around).
 */
public final class ByteRanges {

    private ByteRanges() {
    }

    /** The buffer's size in bytes, or -1 when the value is not an ArrayBuffer. */
    public static long sizeOf(Value buffer) {
        return buffer != null && buffer.hasBufferElements() ? buffer.getBufferSize() : -1;
    }

    /** Whether {@code length} bytes from {@code offset} lie inside a buffer of {@code size} bytes. */
    public static boolean fits(long size, long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    /** A copy of the range, at most {@code max} bytes; IllegalArgumentException when it is out of bounds. */
    public static byte[] copy(Value buffer, long offset, long length, int max) {
        if (length > max || !fits(sizeOf(buffer), offset, length)) {
            throw new IllegalArgumentException("a body chunk out of its buffer's bounds");
        }
        byte[] bytes = new byte[(int) length];
        buffer.readBuffer(offset, bytes, 0, (int) length);
        return bytes;
    }
}
