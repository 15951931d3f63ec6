package dev.nano.web;

import dev.nano.isolate.ByteRanges;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * Host side of {@code formData()}: finds the parts of a {@code multipart/form-data} body
 * (RFC 7578 over RFC 2046's framing). It only locates them: the prelude makes the entries,
 * with file contents as views on the body it already holds (no copy per part).
 *
 * <p>Bounded: the body is one the runtime already holds (a request body is capped by
 * {@code quarkus.http.limits.max-body-size} before it gets here), at most {@link #MAX_PARTS}
 * parts are accepted and a part's header section is at most {@link #MAX_HEADER_BYTES}; past
 * either the parse fails with a message rather than growing.
 */
public final class MultipartOps {

    /** Most parts one body may have. */
    public static final int MAX_PARTS = 1000;

    /** Most bytes of one part's header section (its header lines and their CRLFs). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** RFC 2046 section 5.1.1: 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /**
     * Parses {@code length} bytes at {@code offset} of a JS ArrayBuffer. Returns either a string
     * (why the body is not valid multipart/form-data) or an array of five values per part:
     * name, filename (or null), Content-Type (or null), start and end offset of its content,
     * relative to {@code offset}.
     */
    @HostAccess.Export
    public Object parse(Value arrayBuffer, int offset, int length, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            return "the multipart boundary must be 1 to 70 characters";
        }
        for (int i = 0; i < boundary.length(); i++) {
            if (boundary.charAt(i) > 0x7e || boundary.charAt(i) < 0x20) {
                return "the multipart boundary has a character that is not printable ASCII";
            }
        }
        if (!ByteRanges.fits(ByteRanges.sizeOf(arrayBuffer), offset, length)) {
            return "the body is out of bounds";
        }
        byte[] body = new byte[length];
        arrayBuffer.readBuffer(offset, body, 0, length);
        try {
            return ProxyArray.fromList(parts(body, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (Malformed e) {
            return e.getMessage();
        }
    }

    private static List<Object> parts(byte[] body, byte[] delimiter) {
        List<Object> result = new ArrayList<>();
        // The first delimiter starts the body or a line; what comes before it is preamble.
        int position;
        if (startsWith(body, 0, delimiter)) {
            position = 0;
        } else {
            int found = indexOfLineDelimiter(body, 0, delimiter);
            if (found < 0) {
                throw new Malformed("the body has no multipart boundary delimiter");
            }
            position = found + 2;
        }
        int count = 0;
        while (true) {
            int after = position + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                return result; // The close delimiter; anything after it is epilogue.
            }
            // Transport padding (RFC 2046: linear white space) before the line's CRLF.
            while (after < body.length && (body[after] == ' ' || body[after] == '\t')) {
                after++;
            }
            if (after + 1 >= body.length || body[after] != CR || body[after + 1] != LF) {
                throw new Malformed("a multipart boundary delimiter is not followed by CRLF or \"--\"");
            }
            int headerStart = after + 2;
            if (++count > MAX_PARTS) {
                throw new Malformed("the body has more than " + MAX_PARTS + " parts");
            }
            int headerEnd;
            int contentStart;
            if (startsWithCrlf(body, headerStart)) {
                headerEnd = headerStart;
                contentStart = headerStart + 2;
            } else {
                int blankLine = indexOf(body, headerStart, Math.min(body.length, headerStart + MAX_HEADER_BYTES + 4),
                        new byte[] {CR, LF, CR, LF});
                if (blankLine < 0) {
                    throw new Malformed(body.length - headerStart > MAX_HEADER_BYTES
                            ? "a part's headers are larger than " + MAX_HEADER_BYTES + " bytes"
                            : "a part's headers do not end with an empty line");
                }
                headerEnd = blankLine + 2;
                contentStart = blankLine + 4;
            }
            int next = indexOfLineDelimiter(body, contentStart - 2, delimiter);
            if (next < 0) {
                throw new Malformed("a part is not closed by a multipart boundary delimiter");
            }
            // Searched from the blank line's CRLF, so that a part with no content and no CRLF of
            // its own before the delimiter (as some clients send it) still parses, as empty.
            addPart(result, body, headerStart, headerEnd, Math.min(contentStart, next), next);
            position = next + 2;
        }
    }

    /** Reads the header lines of one part and adds its five values. */
    private static void addPart(List<Object> result, byte[] body, int headerStart, int headerEnd, int contentStart,
            int contentEnd) {
        // Header values as UTF-8: browsers send non-ASCII field names and file names raw.
        String headers = new String(body, headerStart, headerEnd - headerStart, StandardCharsets.UTF_8);
        String disposition = null;
        String contentType = null;
        for (String line : headers.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Malformed("a part has a header line without a name");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null) {
            throw new Malformed("a part has no Content-Disposition header");
        }
        Disposition parsed = Disposition.parse(disposition);
        if (parsed == null || parsed.name == null) {
            throw new Malformed("a part's Content-Disposition is not form-data with a name");
        }
        result.add(parsed.name);
        result.add(parsed.filename);
        result.add(contentType);
        result.add(contentStart);
        result.add(contentEnd);
    }

    /** RFC 7578 section 4.2: {@code form-data; name="..."; filename="..."}. */
    private record Disposition(String name, String filename) {

        static Disposition parse(String value) {
            int semicolon = value.indexOf(';');
            String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
            if (!type.equalsIgnoreCase("form-data")) {
                return null;
            }
            String name = null;
            String filename = null;
            int i = semicolon < 0 ? value.length() : semicolon + 1;
            while (i < value.length()) {
                while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                    i++;
                }
                int equals = value.indexOf('=', i);
                if (equals < 0) {
                    break;
                }
                String key = value.substring(i, equals).trim().toLowerCase(Locale.ROOT);
                i = equals + 1;
                String parameter;
                if (i < value.length() && value.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    while (i < value.length() && value.charAt(i) != '"') {
                        // A backslash quotes the next character (RFC 9110 quoted-pair); browsers
                        // percent-encode '"' instead, which stays as it is (RFC 7578 section 2).
                        if (value.charAt(i) == '\\' && i + 1 < value.length()) {
                            i++;
                        }
                        quoted.append(value.charAt(i++));
                    }
                    if (i >= value.length()) {
                        return null; // An unterminated quoted string.
                    }
                    i++;
                    parameter = quoted.toString();
                    int nextSemicolon = value.indexOf(';', i);
                    i = nextSemicolon < 0 ? value.length() : nextSemicolon + 1;
                } else {
                    int nextSemicolon = value.indexOf(';', i);
                    int end = nextSemicolon < 0 ? value.length() : nextSemicolon;
                    parameter = value.substring(i, end).trim();
                    i = end + 1;
                }
                // filename* (RFC 5987) is ignored, as RFC 7578 section 4.2 says senders must not use it.
                if (key.equals("name") && name == null) {
                    name = parameter;
                } else if (key.equals("filename") && filename == null) {
                    filename = parameter;
                }
            }
            return new Disposition(name, filename);
        }
    }

    /** The index of the CRLF that starts a line holding the delimiter, searching from {@code from}. */
    private static int indexOfLineDelimiter(byte[] body, int from, byte[] delimiter) {
        int i = Math.max(from, 0);
        while (true) {
            int crlf = indexOf(body, i, body.length, new byte[] {CR, LF});
            if (crlf < 0) {
                return -1;
            }
            if (startsWith(body, crlf + 2, delimiter)) {
                return crlf;
            }
            i = crlf + 1;
        }
    }

    private static boolean startsWithCrlf(byte[] body, int at) {
        return at + 1 < body.length && body[at] == CR && body[at + 1] == LF;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, int from, int to, byte[] needle) {
        byte first = needle[0];
        for (int i = from; i + needle.length <= to; i++) {
            if (body[i] == first && startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** Why a body is not multipart/form-data; becomes the TypeError's message. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
