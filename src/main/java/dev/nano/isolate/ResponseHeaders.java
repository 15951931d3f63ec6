package dev.nano.isolate;

import java.util.function.BiConsumer;

/**
 * An app's response header list as the prelude hands it over: one string,
 * {@code "name\nvalue\nname\nvalue"}. Read straight into the server's header map, without a
 * list in between; the framing headers are left out, since how the body is sent decides them.
 *
 * <p>The string crosses from tenant code, so it is checked as if an attacker wrote it
 * ({@link #check}) before anything is sent: names must be RFC 9110 tokens, values field-values
 * without CR, LF, NUL or other controls but HTAB, and framing headers are recognised in any case.
 */
public final class ResponseHeaders {

    /** The longest header list (names, values and separators) a response may carry. */
    static final int MAX_LENGTH = 256 * 1024;

    private final String text;

    ResponseHeaders(String text) {
        this.text = text == null ? "" : text;
    }

    /**
     * Why the list cannot go on the wire, or null when it can. One pass over the characters, no
     * allocation: it runs on every response.
     */
    String check() {
        int length = text.length();
        if (length > MAX_LENGTH) {
            return "the response headers are longer than " + MAX_LENGTH + " characters";
        }
        int start = 0;
        while (start < length) {
            int nameEnd = text.indexOf('\n', start);
            if (nameEnd < 0) {
                return "a response header name without a value";
            }
            if (nameEnd == start) {
                return "an empty response header name";
            }
            for (int i = start; i < nameEnd; i++) {
                if (!isTokenChar(text.charAt(i))) {
                    return "the response header name " + printable(text.substring(start, nameEnd))
                            + " is not an RFC 9110 token";
                }
            }
            int valueEnd = text.indexOf('\n', nameEnd + 1);
            if (valueEnd < 0) {
                valueEnd = length;
            }
            for (int i = nameEnd + 1; i < valueEnd; i++) {
                if (!isFieldValueChar(text.charAt(i))) {
                    return "the value of response header " + printable(text.substring(start, nameEnd))
                            + " holds a character HTTP cannot carry (U+"
                            + String.format("%04X", (int) text.charAt(i)) + ")";
                }
            }
            start = valueEnd + 1;
        }
        return null;
    }

    /**
     * Calls {@code header} with each name (lower case) and value in list order, framing headers
     * skipped. Call {@link #check} first.
     */
    public void forEach(BiConsumer<String, String> header) {
        int start = 0;
        int length = text.length();
        while (start < length) {
            int nameEnd = text.indexOf('\n', start);
            if (nameEnd < 0) {
                return;
            }
            int valueEnd = text.indexOf('\n', nameEnd + 1);
            if (valueEnd < 0) {
                valueEnd = length;
            }
            String name = lowerCase(text.substring(start, nameEnd));
            if (!isFraming(name)) {
                header.accept(name, text.substring(nameEnd + 1, valueEnd));
            }
            start = valueEnd + 1;
        }
    }

    /** The prelude sends lower-case names already: then no copy is made. */
    private static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }

    /**
     * Headers the server owns: they frame the message or the connection (RFC 9112 6, 7, 9.6;
     * RFC 9110 7.6.1 and 7.8, whose Connection-listed and Upgrade fields are hop-by-hop), so an
     * app setting them could split or desynchronise the connection. {@code proxy-connection} is
     * the pre-standard Connection that some clients and proxies still honour. By length first:
     * most names are none of these, and then no hash or compare is needed.
     */
    static boolean isFraming(String name) {
        return switch (name.length()) {
            case 2 -> name.equals("te");
            case 7 -> name.equals("upgrade") || name.equals("trailer");
            case 10 -> name.equals("connection") || name.equals("keep-alive");
            case 14 -> name.equals("content-length");
            case 16 -> name.equals("proxy-connection");
            case 17 -> name.equals("transfer-encoding");
            default -> false;
        };
    }

    /** RFC 9110 5.6.2 tchar. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    /** RFC 9110 5.5 field-vchar, SP and HTAB; obs-text (0x80-0xFF) allowed, nothing above a byte. */
    static boolean isFieldValueChar(char c) {
        return c == '\t' || c >= 0x20 && c != 0x7f && c <= 0xff;
    }

    /** RFC 9112 4 reason-phrase: HTAB, SP, VCHAR, obs-text. */
    static boolean isReasonPhrase(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isFieldValueChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A bounded, escaped form of tenant text for error messages and logs. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(text.length() > 64 ? "...\"" : "\"").toString();
    }
}
