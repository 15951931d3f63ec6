package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * URLPattern as an app sees it (src/test/resources/apps/urlpattern). There are no WPT files
 * here: the cases and expected values come from the URL Pattern Standard's examples, notes and
 * algorithms (https://urlpattern.spec.whatwg.org/).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class UrlPatternTest {

    @BeforeEach
    void awaitReady() {
        NanoTest.awaitReady();
    }

    /** Runs the named cases of the app (one request per test keeps each well inside the cpu-limit). */
    private static ValidatableResponse cases(String... names) {
        return given().header("Host", "urlpattern.test").queryParam("cases", String.join(",", names)).get("/")
                .then().statusCode(200);
    }

    /** protocol, username, password, hostname, port, pathname, search, hash. */
    private static Map<String, String> components(String... values) {
        String[] names = {"protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"};
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    @Test
    void theStandardsIntroductionExamples() {
        cases("intro", "intro2", "intro3")
                .body("intro.components",
                        equalTo(components("https", "*", "*", "example.com", "", "/:category/*", "*", "*")))
                .body("intro.matches", everyItem(equalTo(true)))
                .body("intro.misses", everyItem(equalTo(false)))
                .body("intro.groups", equalTo(Map.of("category", "blog", "0", "our-greatest-product-ever")))
                .body("intro2.components", equalTo(components("http{s}?", "*", "*", "{:subdomain.}?shop.example", "",
                        "/products/:id([0-9]+)", "", "reviews")))
                .body("intro2.matches", contains(true, true, true))
                .body("intro2.misses", contains(false, false, false, false))
                .body("intro2.hasRegExpGroups", equalTo(true))
                .body("intro2.hostnameGroups", equalTo(Map.of("subdomain", "voyager")))
                .body("intro2.pathnameGroups", equalTo(Map.of("id", "74656")))
                .body("intro2.username.input", equalTo("kathryn"))
                .body("intro3.components", equalTo(components("https", "*", "*", "discussion.example", "", "/admin/*",
                        "*", "*")))
                .body("intro3.matches", contains(true, true))
                .body("intro3.misses", contains(false, false));
    }

    @Test
    void namedAndRegexpGroups() {
        cases("namedGroups", "regexpGroups", "segmentWildcardStopsAtDelimiter", "vFlag")
                .body("namedGroups", contains(true, false, Map.of("title", "hello-world"), false))
                .body("regexpGroups", contains(true, false, Map.of("year", "2012", "month", "02"), true,
                        "/blog/:year(\\d+)/:month(\\d+)", Map.of("0", "42", "rest", "a/b"), "/(\\d+)/:rest(.*)"))
                .body("segmentWildcardStopsAtDelimiter", contains(true, false, Map.of("sub", "api")))
                .body("vFlag", equalTo(true));
    }

    @Test
    void modifiersAndWildcards() {
        cases("optional", "prefixIsOptionalToo", "wildcard", "repeat", "groupsWithPrefixAndSuffix", "escapes")
                .body("optional", contains(true, true, false, true, true, true, "/products/{:id}?"))
                .body("prefixIsOptionalToo", contains(true, true, false))
                .body("wildcard", contains(true, true, false, Map.of("0", "a/b.txt")))
                .body("repeat", contains(true, "a/b/c", false, true, Map.of("path", "x/y"), false, true, true, false))
                .body("groupsWithPrefixAndSuffix", contains(true, "1-a2", true, true, true, "{*.}?example.com"))
                .body("escapes", contains(true, false, "/foo\\:bar\\*"));
    }

    @Test
    void ignoreCase() {
        cases("ignoreCase")
                .body("ignoreCase", contains(false, true, "Ab", true, true, false));
    }

    @Test
    void constructorStringParsing() {
        cases("constructorStringComponents", "constructorStringMatching", "unnamedColonIsAGroupName")
                .body("constructorStringComponents", contains(
                        components("https", "user", "pass", "example.com", "8080", "/path", "query", "hash"),
                        components("https", "user:pass", "*", "example.com", "", "*", "*", "*"),
                        components("https", "*", "*", "example.com", "", "*", "*", "*"),
                        components("https", "*", "*", "example.com", "", "/foo", "*", "*"),
                        components("data", "*", "*", "", "", "text/plain,:x", "*", "*"),
                        components("https", "*", "*", "[\\:\\:1]", "8080", "/", "*", "*"),
                        components("https", "*", "*", "example.com", "", "/", "q=1", "*"),
                        components("https", "*", "*", "example.com", "", "/", "", "top"),
                        components("https", "*", "*", "a.c:hmm.example.com", "8080", "*", "*", "*")))
                .body("constructorStringMatching", contains(true, false, true, false, true, true, false))
                .body("unnamedColonIsAGroupName", equalTo("TypeError"));
    }

    @Test
    void baseUrls() {
        cases("relativeConstructorStrings", "initWithBaseURL")
                .body("relativeConstructorStrings", contains(
                        components("https", "*", "*", "example.com", "", "/foo/:id", "*", "*"),
                        components("https", "*", "*", "example.com", "", "/a", "q=:v", "*"),
                        components("https", "*", "*", "example.com", "", "/a", "b", "frag")))
                .body("initWithBaseURL[0]",
                        equalTo(components("https", "*", "*", "example.com", "", "/foo/*", "*", "*")))
                .body("initWithBaseURL[1]", equalTo("/foo/bar/:x"))
                .body("initWithBaseURL[2]", equalTo(true));
    }

    @Test
    void componentsAreCanonicalized() {
        cases("canonicalization", "initInputIsCanonicalized")
                .body("canonicalization", contains("https", "example.com", "xn--bcher-kva.example", "", "8080",
                        "/a%20b/d", "q=a%20b", "a%20b", "us%20er", "[\\:\\:ffff\\:1]", "/:foo", "/*", "/:bar(.*)",
                        "Text/Plain,x y"))
                .body("initInputIsCanonicalized", contains("/caf%C3%A9/:x", true, true, false));
    }

    @Test
    void matchResults() {
        cases("matchingInputs", "matchAll")
                .body("matchingInputs[0]", contains("https://example.com/foo/1?q#h"))
                .body("matchingInputs[1]", equalTo(Map.of("input", "https", "groups", Map.of("0", "https"))))
                .body("matchingInputs[2].input", equalTo("example.com"))
                .body("matchingInputs[3].input", equalTo("q"))
                .body("matchingInputs[4].input", equalTo("h"))
                .body("matchingInputs[5]", contains("/foo/2", "https://example.com"))
                .body("matchingInputs[6]", equalTo(Map.of("input", "/foo/2", "groups", Map.of("id", "2"))))
                .body("matchingInputs[7]", contains(Map.of("pathname", "/foo/3")))
                .body("matchingInputs[8].input", equalTo(""))
                .body("matchingInputs[9]", equalTo(false))
                .body("matchingInputs[10]", equalTo(false))
                .body("matchingInputs[11]", equalTo(false))
                .body("matchingInputs[12]", equalTo(true))
                .body("matchAll", contains(equalTo(true), equalTo(true),
                        equalTo(components("*", "*", "*", "*", "*", "*", "*", "*"))));
    }

    @Test
    void errorsAreTypeErrors() {
        cases("errors")
                .body("errors.size()", equalTo(16)).body("errors", everyItem(equalTo("TypeError")));
    }

    @Test
    void installedAsAnInterface() {
        cases("interface")
                .body("interface", contains(equalTo("function"), equalTo(false), equalTo("[object URLPattern]"),
                contains("exec", "hasRegExpGroups", "hash", "hostname", "password", "pathname", "port", "protocol",
                        "search", "test", "username")));
    }
}
