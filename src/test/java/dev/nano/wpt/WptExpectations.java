package dev.nano.wpt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each WPT run is expected to do, from {@code src/test/resources/wpt/expectations.json}: by
 * run key ({@code encoding/api-basics.any.js}, or with its variant {@code ...any.js?1-1000}), an
 * object with
 * <ul>
 * <li>{@code "skip": "why"}: the file is not run at all;</li>
 * <li>{@code "fail": "why"}: the whole file is expected to fail: any result is accepted except a
 *     complete pass;</li>
 * <li>{@code "status": "ERROR" | "TIMEOUT" | "CRASH" | "PRECONDITION_FAILED"} and {@code "reason"}:
 *     the harness does not finish OK (absent means OK);</li>
 * <li>{@code "subtests": {"name": "why"}}: the subtests that do not pass. A reason that starts
 *     with {@code FLAKY} lets that subtest pass or fail.</li>
 * </ul>
 * A run that is not listed must pass completely. Anything else is a mismatch, including an
 * expected failure that now passes, so that the file stays true. Keys starting with {@code //} are
 * comments.
 */
final class WptExpectations {

    static final Path FILE = Path.of("src/test/resources/wpt/expectations.json");
    static final String TODO = "TODO: triage";
    private static final String COMMENT = "//";

    private final Map<String, JsonObject> entries;
    private final Map<String, Object> comments;

    private WptExpectations(Map<String, JsonObject> entries, Map<String, Object> comments) {
        this.entries = entries;
        this.comments = comments;
    }

    static WptExpectations load() {
        Map<String, JsonObject> entries = new TreeMap<>();
        Map<String, Object> comments = new LinkedHashMap<>();
        if (Files.isRegularFile(FILE)) {
            try {
                JsonObject all = new JsonObject(Files.readString(FILE, StandardCharsets.UTF_8));
                for (String key : all.fieldNames()) {
                    if (key.startsWith(COMMENT)) {
                        comments.put(key, all.getValue(key));
                    } else {
                        entries.put(key, all.getJsonObject(key));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new WptExpectations(entries, comments);
    }

    /** Why the run is skipped, or null when it runs. */
    String skipReason(String key) {
        JsonObject entry = entries.get(key);
        return entry == null ? null : entry.getString("skip");
    }

    /** The differences between a run's results and what is expected of it; empty when they agree. */
    List<String> mismatches(String key, JsonObject result) {
        List<String> problems = new ArrayList<>();
        JsonObject entry = entries.getOrDefault(key, new JsonObject());
        if (entry.getString("fail") != null) {
            if (passesCompletely(result)) {
                problems.add("expected to fail (" + entry.getString("fail") + ") but every subtest PASSED");
            }
            return problems;
        }
        String expectedStatus = entry.getString("status", "OK");
        String status = result.getString("status");
        if (!expectedStatus.equals(status)) {
            problems.add("harness status " + status + describe(result.getString("message"))
                    + ", expected " + expectedStatus + describe(entry.getString("reason")));
        }
        JsonObject expectedFailures = entry.getJsonObject("subtests", new JsonObject());
        Map<String, JsonObject> subtests = subtests(result);
        for (JsonObject test : subtests.values()) {
            String name = test.getString("name");
            boolean passed = "PASS".equals(test.getString("status"));
            String reason = expectedFailures.getString(name);
            if (!passed && reason == null) {
                problems.add("unexpected " + test.getString("status") + ": " + name + describe(test.getString("message")));
            } else if (passed && reason != null && !reason.startsWith("FLAKY")) {
                problems.add("expected to fail (" + reason + ") but PASSED: " + name);
            }
        }
        for (String name : expectedFailures.fieldNames()) {
            if (!subtests.containsKey(name)) {
                problems.add("expected to fail (" + expectedFailures.getString(name) + ") but did not run: " + name);
            }
        }
        return problems;
    }

    /**
     * Rewrites the file from these results: entries of runs that did not run (filtered out,
     * skipped) stay as they are, runs that pass completely lose their entry, and every other run
     * lists its status and failing subtests, keeping the reasons already written and marking new
     * ones {@value #TODO}.
     */
    void update(Map<String, JsonObject> results) throws IOException {
        for (Map.Entry<String, JsonObject> run : results.entrySet()) {
            String key = run.getKey();
            JsonObject result = run.getValue();
            JsonObject old = entries.getOrDefault(key, new JsonObject());
            JsonObject oldFailures = old.getJsonObject("subtests", new JsonObject());
            JsonObject entry = new JsonObject();
            String status = result.getString("status");
            Map<String, JsonObject> tests = subtests(result);
            boolean nonePassed = tests.values().stream().noneMatch(test -> "PASS".equals(test.getString("status")));
            if (nonePassed && !passesCompletely(result)) {
                // Nothing passes: one reason for the file rather than one per subtest.
                String first = result.getString("message");
                for (JsonObject test : tests.values()) {
                    first = first != null ? first : test.getString("message");
                }
                String seen = "OK".equals(status) ? first : status + (first == null ? "" : ": " + first);
                entry.put("fail", keep(old.getString("fail"), seen));
                entries.put(key, entry);
                continue;
            }
            if (!"OK".equals(status)) {
                entry.put("status", status);
                entry.put("reason", keep(status.equals(old.getString("status")) ? old.getString("reason") : null,
                        result.getString("message")));
            }
            JsonObject failures = new JsonObject();
            for (JsonObject test : tests.values()) {
                String name = test.getString("name");
                String reason = oldFailures.getString(name);
                if (!"PASS".equals(test.getString("status")) || reason != null && reason.startsWith("FLAKY")) {
                    failures.put(name, keep(reason, test.getString("status") + ": " + test.getString("message")));
                }
            }
            if (!failures.isEmpty()) {
                entry.put("subtests", failures);
            }
            if (entry.isEmpty()) {
                entries.remove(key);
            } else {
                entries.put(key, entry);
            }
        }
        JsonObject all = new JsonObject();
        comments.forEach(all::put);
        entries.forEach(all::put);
        Files.writeString(FILE, all.encodePrettily() + "\n", StandardCharsets.UTF_8);
    }

    /** A reason already written, or the placeholder with what was seen, for the lead to triage. */
    private static String keep(String reason, String seen) {
        if (reason != null && !reason.startsWith(TODO)) {
            return reason;
        }
        String hint = seen == null ? "" : seen.strip().lines().findFirst().orElse("");
        if (hint.length() > 160) {
            hint = hint.substring(0, 160) + "...";
        }
        return hint.isEmpty() ? TODO : TODO + " (seen: " + hint + ")";
    }

    private static boolean passesCompletely(JsonObject result) {
        return "OK".equals(result.getString("status"))
                && subtests(result).values().stream().allMatch(test -> "PASS".equals(test.getString("status")));
    }

    /** The run's subtests by name, in order (a repeated name keeps its first non-passing result). */
    static Map<String, JsonObject> subtests(JsonObject result) {
        Map<String, JsonObject> byName = new LinkedHashMap<>();
        JsonArray tests = result.getJsonArray("tests", new JsonArray());
        for (int i = 0; i < tests.size(); i++) {
            JsonObject test = tests.getJsonObject(i);
            String name = String.valueOf(test.getString("name"));
            JsonObject seen = byName.get(name);
            if (seen == null || "PASS".equals(seen.getString("status"))) {
                byName.put(name, test);
            }
        }
        return byName;
    }

    private static String describe(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return " (" + (line.length() > 300 ? line.substring(0, 300) + "..." : line) + ")";
    }
}
