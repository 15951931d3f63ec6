package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * console as the app's log shows it (src/test/resources/apps/console): the Console Standard's
 * format specifiers, groups, counters, timers, tables and traces. Each request's records are
 * read from the {@code nano.app} logger as "LEVEL message".
 */
@QuarkusTest
@TestProfile(TestApps.class)
class ConsoleTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    /** The records one request to the console app produced, in order. */
    private static List<String> logOf(String path) {
        try (LogCapture log = LogCapture.of("nano.app")) {
            given().header("Host", "console.test").get(path).then().statusCode(200);
            return log.records().stream()
                    .filter(r -> "console".equals(r.fields().get("app")))
                    .map(r -> r.level() + " " + r.message())
                    .toList();
        }
    }

    @Test
    void formatSpecifiers() {
        assertEquals(List.of(
                "INFO Ada is 36 years, 99% sure, pi is 3.14",
                "INFO object { a: [ 1, 2 ] } and { b: \"x\" } and json {\"c\":null}",
                "INFO styled text",
                "INFO not enough one %s",
                "INFO more args 1 two [ 3 ]",
                // One argument is printed as it is: %% only turns into % when there is formatting.
                "INFO 100%%",
                "INFO NaN NaN from a symbol",
                "INFO 12 %s",
                "INFO { first: \"not a format string %s\" } x",
                "INFO info level",
                "WARN warn level",
                "ERROR error level"), logOf("/format"));
    }

    @Test
    void groupsIndentEveryLine() {
        assertEquals(List.of(
                "INFO outer",
                "INFO   in outer",
                "WARN     two deep\n    second line",
                "INFO   collapsed",
                "INFO     in collapsed",
                "INFO back at the left"), logOf("/groups"));
    }

    @Test
    void countersAndAssertions() {
        List<String> log = logOf("/counters");
        assertEquals(8, log.size(), log.toString());
        assertTrue(log.get(0).matches("INFO c[0-9.]+: 1"), log.get(0));
        assertTrue(log.get(1).matches("INFO c[0-9.]+: 2"), log.get(1));
        assertTrue(log.get(2).matches("INFO c[0-9.]+: 1"), "countReset starts over: " + log.get(2));
        assertEquals(List.of(
                "WARN Count for 'never counted' does not exist",
                "INFO converted label: 1",
                "ERROR Assertion failed: assertion message",
                "ERROR Assertion failed { not: \"a string\" }",
                "ERROR Assertion failed"), log.subList(3, 8));
    }

    @Test
    void timersReportElapsedMilliseconds() {
        List<String> log = logOf("/timers");
        assertEquals(5, log.size(), log.toString());
        String label = Pattern.quote(log.get(0).replaceAll(".*Timer '([^']+)'.*", "$1"));
        assertTrue(log.get(0).matches("WARN Timer '" + label + "' already exists"), log.get(0));
        assertTrue(log.get(1).matches("INFO " + label + ": \\d+\\.\\d{3}ms with data"), log.get(1));
        assertTrue(log.get(2).matches("INFO " + label + ": \\d+\\.\\d{3}ms"), log.get(2));
        assertTrue(log.get(3).matches("WARN Timer '" + label + "' does not exist"), log.get(3));
        assertEquals("WARN Timer 'no such timer' does not exist", log.get(4));
    }

    @Test
    void tablesArePlainText() {
        List<String> log = logOf("/table");
        assertEquals(List.of(
                "INFO ┌─────────┬──────┬───┬───────┐\n"
                        + "│ (index) │ name │ n │ extra │\n"
                        + "├─────────┼──────┼───┼───────┤\n"
                        + "│ 0       │ \"a\"  │ 1 │       │\n"
                        + "│ 1       │ \"b\"  │   │ true  │\n"
                        + "└─────────┴──────┴───┴───────┘",
                "INFO ┌─────────┬────────┐\n"
                        + "│ (index) │ Values │\n"
                        + "├─────────┼────────┤\n"
                        + "│ x       │ 1      │\n"
                        + "│ y       │ \"two\"  │\n"
                        + "└─────────┴────────┘",
                "INFO ┌─────────┬───┐\n"
                        + "│ (index) │ b │\n"
                        + "├─────────┼───┤\n"
                        + "│ 0       │ 2 │\n"
                        + "└─────────┴───┘",
                "INFO not tabular"), log);
    }

    @Test
    void traceShowsTheCallersStack() {
        List<String> log = logOf("/trace");
        assertEquals(1, log.size(), log.toString());
        String trace = log.get(0);
        assertTrue(trace.startsWith("INFO Trace: traced 7\n    at whereAmI ("), trace);
        assertTrue(!trace.contains("nano:"), "the runtime's own frames are left out: " + trace);
    }

    @Test
    void largeValuesAreCut() {
        List<String> log = logOf("/large");
        assertEquals(2, log.size());
        assertTrue(log.get(0).startsWith("INFO Uint8Array(200000) [ 0, 0,")
                && log.get(0).endsWith("... 199900 more items ]"), log.get(0));
        assertTrue(log.get(1).endsWith("... 199900 more items ]"), log.get(1));
    }

    @Test
    void consoleIsANamespaceObject() {
        given().header("Host", "console.test").get("/shape").then().statusCode(200)
                .body("", contains("[object console]", false, 0, true, "function", "log", true, false));
    }

    @Test
    void aFloodIsCutToTheAppsRateAndTheDropsAreReported() throws InterruptedException {
        List<String> flood = logOf("/flood");
        // 1,000 lines of burst, plus what the bucket refills while the loop runs (well under a second).
        assertTrue(flood.size() >= 1000 && flood.size() < 5000, "lines logged: " + flood.size());
        assertEquals("INFO flood 0", flood.get(0));
        double dropped = NanoTest.metric("nano_app_log_dropped_total{app=\"console\"}");
        assertTrue(dropped >= 15_000, "dropped: " + dropped);
        Thread.sleep(1100);   // the bucket refills, and a second has passed since the drops
        List<String> after = logOf("/one-line");
        assertTrue(after.stream().anyMatch(line -> line.startsWith("WARN app console: ")
                && line.contains("console lines dropped, over nano.app-log.max-lines-per-second (1000)")), after.toString());
        assertTrue(after.contains("INFO after the flood"), after.toString());
    }

    @Test
    void aLongLineIsCutSayingHowMuch() {
        List<String> log = logOf("/long-line");
        assertEquals(1, log.size());
        assertEquals("INFO " + "y".repeat(16384) + "... (83616 more characters cut: nano.app-log.max-line-chars)",
                log.get(0));
    }
}
