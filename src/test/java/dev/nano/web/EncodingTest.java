package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TextEncoder, TextDecoder and atob/btoa as an app sees them (src/test/resources/apps/encoding).
 * Decoded strings come back as code points in hex ("0041 FFFD"). Expected values follow the
 * WHATWG Encoding Standard and its index tables (the legacy ones checked against the indexes
 * WPT copies from the standard), and HTML's atob/btoa with Infra's forgiving-base64.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class EncodingTest {

    private static Response response;
    private ValidatableResponse cases;

    /**
     * The cases run once, as soon as this app serves: on a loaded machine the whole readiness of
     * every test app can take longer than the cases need, and a cold first request can run into
     * the cpu-limit (503), so it is retried.
     */
    @BeforeEach
    void runCases() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
        while (response == null || response.statusCode() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the encoding app did not answer 200 within 300 s");
            }
            response = given().header("Host", "encoding.test").get("/");
            if (response.statusCode() != 200) {
                Thread.sleep(200);
            }
        }
        cases = response.then().statusCode(200);
    }

    @Test
    void encodesUtf8() {
        cases.body("encodeRoundTrip", contains(22, true, true))
                .body("encodeBytes", contains(65, 194, 165, 226, 130, 172, 240, 157, 140, 134))
                .body("encodeLoneSurrogates", contains(239, 191, 189, 97, 239, 191, 189))
                .body("encodeDefault", contains(equalTo(0), equalTo(0), contains(110, 117, 108, 108)));
    }

    @Test
    void encodeIntoWritesWholeCodePointsOnly() {
        cases.body("encodeInto", contains(
                        List.of(0, 0, List.of(42, 42)),
                        List.of(1, 1, List.of(42, 65, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42)),
                        List.of(2, 4, List.of(42, 240, 157, 140, 134, 42)),
                        List.of(0, 0, List.of(42, 42, 42, 42, 42)),
                        List.of(5, 10, List.of(42, 239, 191, 189, 65, 239, 191, 189, 65, 194, 165, 42)),
                        List.of(2, 4, List.of(42, 65, 239, 191, 189, 42)),
                        List.of(2, 4, List.of(42, 194, 165, 194, 165, 42)),
                        List.of(1, 2, List.of(42, 194, 165, 42, 42)),
                        List.of(0, 0, List.of(42, 42, 42, 42))))
                .body("encodeIntoShared", contains(equalTo(2), equalTo(3), contains(195, 169, 116, 0)))
                .body("encodeIntoNotUint8Array.error", equalTo("TypeError"));
    }

    @Test
    void resolvesLabelsToEncodings() {
        cases.body("getters", contains("utf-8", "utf-8", false, false, "utf-16le", true, true))
                .body("allNames", contains("utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4",
                        "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-8-i", "iso-8859-10",
                        "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16", "koi8-r", "koi8-u", "macintosh",
                        "windows-874", "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254",
                        "windows-1255", "windows-1256", "windows-1257", "windows-1258", "x-mac-cyrillic", "gbk",
                        "gb18030", "big5", "euc-jp", "iso-2022-jp", "shift_jis", "euc-kr", "utf-16be", "utf-16le",
                        "x-user-defined"))
                .body("labels", contains(equalTo("utf-8"), equalTo("utf-8"), equalTo("windows-1252"),
                        equalTo("windows-1252"), equalTo("windows-1252"), equalTo("windows-1252"),
                        equalTo("windows-1254"), equalTo("shift_jis"), equalTo("shift_jis"), equalTo("shift_jis"),
                        equalTo("gbk"), equalTo("gbk"), equalTo("big5"), equalTo("big5"), equalTo("iso-2022-jp"),
                        equalTo("utf-16le"), equalTo("utf-16be"), equalTo("utf-16le"), equalTo("euc-kr"),
                        equalTo("euc-kr"), equalTo("koi8-u"), equalTo("koi8-r"), equalTo("macintosh"),
                        equalTo("x-mac-cyrillic"), equalTo("windows-874"), equalTo("windows-874"),
                        equalTo("iso-8859-15"), equalTo(java.util.Map.of("error", "RangeError")),
                        equalTo("iso-8859-8-i"), equalTo("iso-8859-8"), equalTo("windows-1250"), equalTo("iso-8859-7"),
                        equalTo("gbk"), equalTo("euc-jp"), equalTo("euc-kr")))
                // The replacement encoding and unknown labels (Kelvin sign, NBSP, NUL) are RangeErrors.
                .body("invalidLabels", hasSize(12))
                .body("invalidLabels", everyItem(equalTo("RangeError")));
    }

    @Test
    void fatalDecodersThrowTypeError() {
        cases.body("fatalUtf8", hasSize(13))
                .body("fatalUtf8", everyItem(equalTo("TypeError")))
                .body("fatalOthers", hasSize(10))
                .body("fatalOthers", everyItem(equalTo("TypeError")))
                .body("fatalValid", equalTo("2665 FEFF"))
                .body("fatalDecoderRecovers", contains("\u2665", "TypeError", "\u2665"));
    }

    @Test
    void replacesMalformedInputAsTheStandardSays() {
        // UTF-8: one U+FFFD per maximal subpart; a surrogate's bytes are three errors.
        cases.body("replacementUtf8", contains("0061 FFFD FFFD FFFD 0062 FFFD 0063 FFFD FFFD 0064",
                        "FFFD FFFD FFFD", "FFFD", "FFFD FFFD", "FFFD FFFD FFFD FFFD", "FFFD FFFD", "FFFD FFFD",
                        "1F600 FFFD 0041"))
                .body("replacementUtf16", contains("FFFD", "FFFD 0041", "FFFD FFFD", "0041 FFFD", "1D306 0041",
                        "FFFD 10000"))
                .body("bodyText", contains("0061 FFFD FFFD FFFD"));
    }

    @Test
    void streamsAcrossSplitSequences() {
        cases.body("streamUtf8", everyItem(equalTo("0061 00E9 20AC 1D306 007A")))
                .body("streamUtf16", contains("0041 1D306 0042", "0041 1D306"))
                .body("streamShiftJis", contains("65E5 672C 0041", "65E5 0061", "0080 10000"))
                .body("streamIncompleteAtEnd", contains("a", "FFFD", "b"));
    }

    @Test
    void stripsOneByteOrderMarkOfItsOwnEncoding() {
        cases.body("bom", contains("0041", "FEFF 0041", "FEFF 0041", "0041", "0041", "FFFE 4100",
                        "FFFD FFFD 0041 0000", "00EF 00BB 00BF"))
                .body("bomStreamed", contains("", "A", "FEFF", "B"));
    }

    @Test
    void decodesLegacyEncodingsWithTheStandardsIndexes() {
        cases.body("singleByte", contains("20AC 0081 0178 00FF", "20AC 0178 00E9", "FFFD 0E01", "0104 0138",
                        "1E02 00FF", "045E 040E", "05BA FFFD", "0490 0491 20AC", "0041 F780 F7FF", "0410 00A0", "05D0"))
                .body("japanese", contains("3042 005C 0080 FF61 E000 2170", "FFFD 0040", "FFFD", "3042 FF71 4E02",
                        "FFFD 0041", "4E9C 0061", "FF71 00A5 203E", "FFFD 0061", "FFFD 0024 0041"))
                .body("chinese", contains("20AC 4E02 FE10 9FB4 2026", "0080 E7C7 9FB4 FE10", "10000 10FFFF FFFD",
                        "FFFD 0030 FFFD", "FFFD 007F", "4E00 43F0 2027 FFED 20AC 7BB8",
                        "00CA 0304 00CA 030C 00EA 0304 00EA 030C", "4C32 31C0", "FFFD 0030"))
                .body("korean", contains("AC00 AC02 0041", "FFFD 0030", "FFFD"));
    }

    @Test
    void acceptsEveryBufferSource() {
        cases.body("bufferSources", contains("a\u00e9b", "\u00e9", "xa\u00e9b", "a\ufffd", "xa\u00e9", "", "",
                "TypeError", "TypeError", "TypeError"));
    }

    @Test
    void hasTheWebIdlShape() {
        // atob is an operation of the global scope: writable, enumerable, configurable (WebIDL 3.7.6).
        cases.body("webidlShape", contains("[object TextEncoder]", "[object TextDecoder]", true, false, true, true,
                true, true, 1, "btoa", "TypeError", "TypeError", "TypeError", "decode,encoding,fatal,ignoreBOM", 0));
    }

    @Test
    void btoaEncodesLatin1() {
        cases.body("btoa", contains("", "YQ==", "YWI=", "YWJj", "//4=", "dW5kZWZpbmVk", "bnVsbA==", "MTI="))
                .body("btoaErrors.error", contains("InvalidCharacterError", "InvalidCharacterError", "TypeError"))
                .body("btoaErrors.code", contains(5, 5, null))
                .body("base64RoundTrip", equalTo(true));
    }

    @Test
    void atobIsForgiving() {
        cases.body("atob", contains("", "a", "a", "a", "ab", "abc", "a", "00FF 00FE 00FD", "009E 00E9 0065", "ab"))
                .body("atobErrors", hasSize(9))
                .body("atobErrors", everyItem(equalTo("InvalidCharacterError/5")))
                .body("atobErrorIsDOMException", contains(true, "InvalidCharacterError", 5, true));
    }
}
