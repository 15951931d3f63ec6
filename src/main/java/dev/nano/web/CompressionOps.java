package dev.nano.web;

import dev.nano.isolate.Cancellable;
import dev.nano.isolate.IsolateSlot;
import dev.nano.isolate.RequestScope;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Host side of the Compression standard (https://compression.spec.whatwg.org/): one zlib
 * {@link Deflater} or {@link Inflater} per {@code CompressionStream}/{@code DecompressionStream},
 * behind a {@link Codec} handle that the prelude keeps in a closure.
 *
 * <p>Output comes out in pieces of at most {@link #PIECE} bytes, one per {@link Codec#read}
 * call, so the prelude can enqueue each and wait for the reader between them: a decompression
 * bomb never inflates more than one piece ahead of its reader. The gzip framing (RFC 1952) is
 * done here over raw deflate, because {@code GZIPInputStream} is a blocking stream API and
 * cannot report trailing data or a truncated member.
 *
 * <p>Errors are returned as strings, never thrown: the prelude turns them into the standard's
 * TypeError. A codec belongs to the request that created it (the app's top level when none)
 * and its native memory is freed when the stream finishes, errors or is cancelled, or at the
 * latest when that request closes.
 *
 * <p><b>Concurrency:</b> every method runs on the slot's event loop.
 */
public final class CompressionOps {

    /** The most bytes one {@link Codec#read} returns. */
    static final int PIECE = 64 * 1024;

    private final IsolateSlot slot;

    public CompressionOps(IsolateSlot slot) {
        this.slot = slot;
    }

    /**
     * A codec for {@code format} ("gzip", "deflate" or "deflate-raw", already checked by the
     * prelude), or null when the request running now has closed.
     */
    @HostAccess.Export
    public Codec create(String format, boolean compress) {
        Format parsed = switch (format) {
            case "gzip" -> Format.GZIP;
            case "deflate" -> Format.DEFLATE;
            case "deflate-raw" -> Format.DEFLATE_RAW;
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
        RequestScope owner = slot.current();
        Codec codec = compress ? new Compressor(owner, parsed) : new Decompressor(owner, parsed);
        if (!slot.own(owner, codec)) {
            codec.release();
            return null;
        }
        return codec;
    }

    enum Format { GZIP, DEFLATE, DEFLATE_RAW }

    /** What the prelude holds: feed input, read output pieces, finish, close. */
    public abstract sealed class Codec implements Cancellable permits Compressor, Decompressor {
        final RequestScope owner;
        final byte[] scratch = new byte[PIECE];
        boolean closed;

        Codec(RequestScope owner) {
            this.owner = owner;
        }

        /**
         * Takes {@code length} bytes of an ArrayBuffer from {@code offset} as the next input.
         * The prelude reads every piece of the previous input before giving more.
         */
        @HostAccess.Export
        public String write(Value arrayBuffer, int offset, int length) {
            if (closed) {
                return CLOSED;
            }
            byte[] bytes = new byte[length];
            if (length > 0) {
                arrayBuffer.readBuffer(offset, bytes, 0, length);
            }
            return accept(bytes);
        }

        /**
         * The next piece of output (at most {@link #PIECE} bytes), null when the input given so
         * far yields no more, or a String naming why the data is invalid.
         */
        @HostAccess.Export
        public Object read() {
            if (closed) {
                return CLOSED;
            }
            try {
                return produce();
            } catch (DataFormatException e) {
                return "The compressed data is invalid: " + e.getMessage();
            }
        }

        /** No more input comes: null when the data is complete, else why it is not. */
        @HostAccess.Export
        public String finish() {
            return closed ? CLOSED : end();
        }

        /** The stream is done, errored or cancelled: free the native zlib state now. */
        @HostAccess.Export
        public void close() {
            if (!closed) {
                release();
                slot.disown(owner, this);
            }
        }

        /** The owning request closed. */
        @Override
        public void cancel() {
            release();
        }

        void release() {
            closed = true;
            free();
        }

        /**
         * A fresh buffer of its own (the scratch buffer is reused): the prelude enqueues it
         * wrapped as an ArrayBuffer, with no second copy.
         */
        ByteBuffer piece(int length) {
            return ByteBuffer.wrap(Arrays.copyOf(scratch, length));
        }

        abstract String accept(byte[] input);

        abstract Object produce() throws DataFormatException;

        abstract String end();

        abstract void free();
    }

    private static final String CLOSED = "The stream was closed with the request that created it.";

    // RFC 1952 section 2.3: ID1 ID2 CM=8 (deflate) FLG=0 MTIME=0 XFL=0 OS=255 (unknown).
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    final class Compressor extends Codec {
        private final Format format;
        private final Deflater deflater;
        private final CRC32 crc = new CRC32();
        private boolean headerWritten;
        private boolean finishing;
        private boolean trailerWritten;

        Compressor(RequestScope owner, Format format) {
            super(owner);
            this.format = format;
            this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, format != Format.DEFLATE);
            this.headerWritten = format != Format.GZIP;
            this.trailerWritten = format != Format.GZIP;
        }

        @Override
        String accept(byte[] input) {
            deflater.setInput(input);
            if (format == Format.GZIP) {
                crc.update(input);
            }
            return null;
        }

        @Override
        Object produce() {
            int length = 0;
            if (!headerWritten) {
                System.arraycopy(GZIP_HEADER, 0, scratch, 0, GZIP_HEADER.length);
                length = GZIP_HEADER.length;
                headerWritten = true;
            }
            while (length < PIECE && !deflater.finished()) {
                int n = deflater.deflate(scratch, length, PIECE - length);
                length += n;
                if (n == 0 && deflater.needsInput() && !finishing) {
                    break;
                }
            }
            if (deflater.finished() && !trailerWritten && length + 8 <= PIECE) {
                // RFC 1952 section 2.3.1: CRC32, then ISIZE (the input size modulo 2^32), little-endian.
                putIntLe(scratch, length, (int) crc.getValue());
                putIntLe(scratch, length + 4, (int) deflater.getBytesRead());
                length += 8;
                trailerWritten = true;
            }
            return length == 0 ? null : piece(length);
        }

        @Override
        String end() {
            deflater.finish();
            finishing = true;
            return null;
        }

        @Override
        void free() {
            deflater.end();
        }
    }

    private enum Phase { HEADER, BODY, TRAILER, DONE }

    final class Decompressor extends Codec {
        private final Format format;
        private final Inflater inflater;
        private final CRC32 crc = new CRC32();
        private final GzipHeader header;
        private final byte[] trailer = new byte[8];
        private int trailerLength;
        private Phase phase;
        private byte[] input = new byte[0];
        private int position;

        Decompressor(RequestScope owner, Format format) {
            super(owner);
            this.format = format;
            this.inflater = new Inflater(format != Format.DEFLATE);
            this.header = format == Format.GZIP ? new GzipHeader() : null;
            this.phase = format == Format.GZIP ? Phase.HEADER : Phase.BODY;
        }

        @Override
        String accept(byte[] bytes) {
            input = bytes;
            position = 0;
            if (phase == Phase.BODY) {
                inflater.setInput(bytes);
            }
            return null;
        }

        @Override
        Object produce() throws DataFormatException {
            while (true) {
                switch (phase) {
                    case HEADER -> {
                        position = header.consume(input, position);
                        if (!header.complete()) {
                            return null;
                        }
                        phase = Phase.BODY;
                        inflater.setInput(input, position, input.length - position);
                    }
                    case BODY -> {
                        int n = inflater.inflate(scratch, 0, PIECE);
                        if (n > 0) {
                            if (format == Format.GZIP) {
                                crc.update(scratch, 0, n);
                            }
                            return piece(n);
                        }
                        if (inflater.finished()) {
                            position = input.length - inflater.getRemaining();
                            phase = format == Format.GZIP ? Phase.TRAILER : Phase.DONE;
                        } else if (inflater.needsDictionary()) {
                            throw new DataFormatException("a preset dictionary is not supported");
                        } else {
                            position = input.length;
                            return null;
                        }
                    }
                    case TRAILER -> {
                        int take = Math.min(8 - trailerLength, input.length - position);
                        System.arraycopy(input, position, trailer, trailerLength, take);
                        trailerLength += take;
                        position += take;
                        if (trailerLength < 8) {
                            return null;
                        }
                        if (getIntLe(trailer, 0) != (int) crc.getValue()) {
                            throw new DataFormatException("the gzip CRC32 does not match the data");
                        }
                        if (getIntLe(trailer, 4) != (int) inflater.getBytesWritten()) {
                            throw new DataFormatException("the gzip ISIZE does not match the data");
                        }
                        phase = Phase.DONE;
                    }
                    case DONE -> {
                        // https://compression.spec.whatwg.org/#decompress-and-enqueue-a-chunk step 6.
                        if (position < input.length) {
                            throw new DataFormatException("there is data after the end of the compressed stream");
                        }
                        return null;
                    }
                }
            }
        }

        @Override
        String end() {
            // https://compression.spec.whatwg.org/#decompress-flush-and-enqueue step 3.
            return phase == Phase.DONE ? null : "The compressed data ended before the end of its stream.";
        }

        @Override
        void free() {
            inflater.end();
        }
    }

    /** RFC 1952 section 2.3's member header, parsed as its bytes arrive in any split. */
    private static final class GzipHeader {
        private static final int FHCRC = 2;
        private static final int FEXTRA = 4;
        private static final int FNAME = 8;
        private static final int FCOMMENT = 16;
        private static final int RESERVED = 0xe0;

        private final byte[] fixed = new byte[10];
        private int fixedLength;
        private int flags;
        /** Bytes still to skip in the current fixed-length field (XLEN's data, the header CRC). */
        private int skip;
        private final byte[] extraLength = new byte[2];
        private int extraLengthRead;
        private int stage; // 0 fixed, 1 XLEN, 2 extra data, 3 name, 4 comment, 5 header CRC, 6 done

        boolean complete() {
            return stage == 6;
        }

        int consume(byte[] in, int pos) throws DataFormatException {
            while (stage < 6 && pos < in.length) {
                switch (stage) {
                    case 0 -> {
                        int take = Math.min(10 - fixedLength, in.length - pos);
                        System.arraycopy(in, pos, fixed, fixedLength, take);
                        fixedLength += take;
                        pos += take;
                        if (fixedLength == 10) {
                            if (fixed[0] != 0x1f || fixed[1] != (byte) 0x8b) {
                                throw new DataFormatException("not gzip data (bad magic bytes)");
                            }
                            if (fixed[2] != 8) {
                                throw new DataFormatException("unknown gzip compression method " + (fixed[2] & 0xff));
                            }
                            flags = fixed[3] & 0xff;
                            if ((flags & RESERVED) != 0) {
                                throw new DataFormatException("reserved gzip flags are set");
                            }
                            stage = (flags & FEXTRA) != 0 ? 1 : 3;
                        }
                    }
                    case 1 -> {
                        extraLength[extraLengthRead++] = in[pos++];
                        if (extraLengthRead == 2) {
                            skip = (extraLength[0] & 0xff) | (extraLength[1] & 0xff) << 8;
                            stage = 2;
                        }
                    }
                    case 2 -> {
                        int take = Math.min(skip, in.length - pos);
                        pos += take;
                        skip -= take;
                        if (skip == 0) {
                            stage = 3;
                        }
                    }
                    case 3, 4 -> {
                        int field = stage == 3 ? FNAME : FCOMMENT;
                        if ((flags & field) == 0) {
                            stage++;
                            continue;
                        }
                        if (in[pos++] == 0) {
                            stage++;
                        }
                    }
                    case 5 -> {
                        if ((flags & FHCRC) == 0) {
                            stage = 6;
                            continue;
                        }
                        if (skip == 0) {
                            skip = 2;
                        }
                        pos++;
                        if (--skip == 0) {
                            stage = 6;
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            // Fields that are absent need no byte to be skipped.
            while (stage >= 3 && stage < 6 && (stage == 5 ? (flags & FHCRC) == 0 && skip == 0
                    : (flags & (stage == 3 ? FNAME : FCOMMENT)) == 0)) {
                stage++;
            }
            return pos;
        }
    }

    private static void putIntLe(byte[] bytes, int at, int value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >>> 8);
        bytes[at + 2] = (byte) (value >>> 16);
        bytes[at + 3] = (byte) (value >>> 24);
    }

    private static int getIntLe(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
    }
}
