package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * URL and URLSearchParams as an app sees them (src/test/resources/apps/url). Expected values
 * follow the WHATWG URL Standard (and agree with Node's URL for these inputs).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class UrlTest {

    private ValidatableResponse cases;

    @BeforeEach
    void runCases() {
        NanoTest.awaitReady();
        cases = given().header("Host", "url.test").get("/").then().statusCode(200);
    }

    @Test
    void parsesIntoComponents() {
        cases.body("parseComponents", contains(
                        "https://User:Pa%20ss@example.com:8443/a/c?q=1#frag", "https:", "User", "Pa%20ss",
                        "example.com:8443", "example.com", "8443", "/a/c", "?q=1", "#frag",
                        "https://example.com:8443"))
                .body("defaultPortDropped", equalTo("http://example.com/"))
                .body("whitespaceStripped", equalTo("http://example.com/a%20b"))
                .body("percentEncoding",
                        equalTo("http://a/p%20%C3%A4%22%3C%3E%60%7B%7D?q%20%C3%A4%27%22#f%20%C3%A4%60"))
                .body("nonSpecialScheme", contains("sc://Host:1/p?q#f", "Host:1", "null"))
                .body("opaquePath", contains("Someone@Example.com", "", "null"));
    }

    @Test
    void resolvesAgainstABase() {
        cases.body("baseRelative", equalTo("http://a/b/d?x#y"))
                .body("baseSchemeRelative", equalTo("https://other.example/p"))
                .body("baseQueryOnly", equalTo("http://a/b/c?n=2"))
                .body("baseFragmentOnly", equalTo("http://a/b?q#top"))
                .body("backslashesAndDots", equalTo("http://a/z"))
                .body("fileUrls", contains("file:///C:/x", "file:///etc", "file:///C:/"));
    }

    @Test
    void aUrlChangedAfterParsingLeavesTheNextParseOfItsInputAlone() {
        cases.body("sameInputIndependent", contains("http://other.example/changed?q=1&x=2",
                "http://example.org/a/b/more?q=1", "http://example.org/a/b?q=1"));
    }

    @Test
    void parsesHosts() {
        cases.body("ipv4Forms", contains("127.0.0.1", "127.0.0.1", "255.255.255.255", "1.2.0.3"))
                .body("ipv4OutOfRange.error", equalTo("TypeError"))
                .body("ipv6Compressed", equalTo("[2001:db8::1]:8080"))
                .body("ipv6EmbeddedIPv4", equalTo("[::ffff:c0a8:1]"))
                .body("ipv6Invalid.error", equalTo("TypeError"))
                .body("punycodeHost", equalTo("xn--bcher-kva.example"))
                .body("punycodeSharpS", equalTo("xn--fa-hia.example"))
                .body("forbiddenHostCodePoint.error", equalTo("TypeError"))
                .body("portOutOfRange", equalTo(false));
    }

    @Test
    void reportsInvalidInput() {
        cases.body("canParse", contains(true, false, true))
                .body("staticParse[0]", nullValue())
                .body("staticParse[1]", equalTo("http://a/x"))
                .body("invalidThrows.error", equalTo("TypeError"))
                .body("invalidBaseThrows.error", equalTo("TypeError"))
                .body("missingArgument.error", equalTo("TypeError"));
    }

    @Test
    void settersFollowStateOverrides() {
        cases.body("settersSpecial", equalTo("https://me:p%40ss@example.com:8080/z?a=1"))
                .body("settersIgnored", contains("http://example.net/", "mailto:x@y"))
                .body("portSetter", contains("https://example.net/", "https://example.net:8443/"));
    }

    @Test
    void searchParamsStayInSyncWithTheUrl() {
        cases.body("searchParamsFromUrl[0]", contains("1", "3"))
                .body("searchParamsFromUrl[1]", equalTo("a b c"))
                .body("searchParamsFromUrl[2]", nullValue())
                .body("searchParamsUpdateUrl", contains("http://a/p?x=1&q=a+b%26c%3Dd#f", "http://a/p#f"))
                .body("urlUpdatesSearchParams[0]", contains("y", "z"))
                .body("urlUpdatesSearchParams[1]", contains("w"))
                .body("urlUpdatesSearchParams[2]", equalTo(true))
                .body("searchParamsAfterUrlChanges", contains("v"));
    }

    @Test
    void searchParamsMethods() {
        cases.body("searchParamsInit", contains("a=1&b=2", "a=1&a=2", "k=v+w&%C3%A9=%C3%BC"))
                .body("searchParamsBadPair.error", equalTo("TypeError"))
                .body("searchParamsMethods[0]", equalTo(3))
                .body("searchParamsMethods[1]", equalTo(true))
                .body("searchParamsMethods[2]", equalTo(true))
                .body("searchParamsMethods[3]", equalTo(false))
                .body("searchParamsMethods[4]", equalTo("a=x&b=2"))
                .body("searchParamsMethods[5]", equalTo("a=x"))
                // Sorted by UTF-16 code units: U+1F600's surrogates come before U+FFFD.
                .body("searchParamsSortStable", contains("a", "a", "z", "z", "%F0%9F%98%80", "%EF%BF%BD"))
                .body("searchParamsSerialize", equalTo("q=a%2Bb+c%7E%21*%27%28%29%26%3D%3F%2F%C3%A9"))
                .body("searchParamsIteration[0]", contains("a:1", "b:2"))
                .body("searchParamsIteration[1]", contains("x9"));
    }

    @Test
    void interfacesAreBrandedAndStringify() {
        cases.body("toStringTag",
                        contains("[object URL]", "[object URLSearchParams]", "[object URLSearchParams Iterator]"))
                .body("stringifiers", contains("http://a/b", "{\"u\":\"http://a/b\"}", "a=b+c"))
                .body("brandCheck.error", equalTo("TypeError"))
                .body("searchParamsBrandCheck.error", equalTo("TypeError"));
    }
}
