package dev.nano.isolate;

import java.util.function.BiConsumer;

/**
 * An app's response header list as the prelude hands it over: one string,
 * {@code "name\nvalue\nname\nvalue"}, names in lower case (names are tokens and values never hold
 * a LF, so the separator is unambiguous). Read straight into the server's header map, without a
 * list in between; the framing headers are left out, since how the body is sent decides them.
 */
public final class ResponseHeaders {

    private final String text;

    ResponseHeaders(String text) {
        this.text = text;
    }

    /** Calls {@code header} with each name and value in list order, framing headers skipped. */
    public void forEach(BiConsumer<String, String> header) {
        int start = 0;
        int length = text.length();
        while (start < length) {
            int nameEnd = text.indexOf('\n', start);
            if (nameEnd < 0) {
                return; // a name without a value: not produced by the prelude
            }
            int valueEnd = text.indexOf('\n', nameEnd + 1);
            if (valueEnd < 0) {
                valueEnd = length;
            }
            String name = text.substring(start, nameEnd);
            if (!isFraming(name)) {
                header.accept(name, text.substring(nameEnd + 1, valueEnd));
            }
            start = valueEnd + 1;
        }
    }

    /** By length first: most names are none of these, and then no hash or compare is needed. */
    private static boolean isFraming(String name) {
        return switch (name.length()) {
            case 10 -> name.equals("connection") || name.equals("keep-alive");
            case 14 -> name.equals("content-length");
            case 17 -> name.equals("transfer-encoding");
            default -> false;
        };
    }
}
