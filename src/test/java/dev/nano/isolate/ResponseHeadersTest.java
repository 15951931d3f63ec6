package dev.nano.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binding's own rules for a response head, whatever the prelude sends: what HardeningTest
 * cannot reach over HTTP any more now that no app can call the binding directly.
 */
class ResponseHeadersTest {

    private static List<String> sent(String text) {
        List<String> out = new ArrayList<>();
        new ResponseHeaders(text).forEach((name, value) -> out.add(name + "=" + value));
        return out;
    }

    @Test
    void framingHeadersAreTheServersInAnyCase() {
        assertEquals(List.of("x-a=1"), sent("Content-Length\n0\nTRANSFER-ENCODING\nchunked\nConnection\nclose\n"
                + "Keep-Alive\n5\nUpgrade\nh2c\nTE\ntrailers\nTrailer\nx\nProxy-Connection\nclose\nX-A\n1"));
    }

    @Test
    void namesMustBeTokensAndValuesCarryNoControls() {
        assertNull(new ResponseHeaders("x-a\nvalue with\ttab and obs-text \u00e9").check());
        for (String bad : new String[] {"x a\nv", "x:a\nv", "\nv", "x-a", "x-a\na\u0001b", "x-a\n\u007f",
            "x-a\na\rb", "x-a\na\u0000", "x-\u00e9\nv", "x-a\n\u0100"}) {
            assertNotNull(new ResponseHeaders(bad).check(), "refused: " + ResponseHeaders.printable(bad));
        }
        assertNotNull(new ResponseHeaders("x-a\n" + "v".repeat(ResponseHeaders.MAX_LENGTH)).check());
    }

    @Test
    void statusTextIsAReasonPhrase() {
        assertTrue(ResponseHeaders.isReasonPhrase("Not Found\t\u00e9"));
        assertTrue(!ResponseHeaders.isReasonPhrase("OK\r\nX-Injected: 1"));
    }
}
