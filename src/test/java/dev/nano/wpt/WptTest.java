package dev.nano.wpt;

import static io.restassured.RestAssured.given;

import dev.nano.NanoTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Runs every web-platform-tests file that {@link WptApps} turned into an app: one dynamic test per
 * file and variant, which requests the app over HTTP, reads the results its harness reported, and
 * compares them with {@code src/test/resources/wpt/expectations.json} ({@link WptExpectations}).
 * Runs go one at a time ({@code -Dwpt.concurrency=n} for more): every app has one context and they
 * all share one event loop, so a run queued behind another's JavaScript would eat into its deadline. A run that does not answer within its
 * deadline is asked to time out its pending subtests ({@code GET /timeout}); a run that still does
 * not answer, or whose app failed, is a CRASH with the reason. At the end it prints a summary per
 * suite and writes {@code target/wpt-report.json}; with {@code -Dwpt.update=true} it rewrites the
 * expectations from these results instead of failing on mismatches.
 */
@QuarkusTest
@TestProfile(WptApps.class)
class WptTest {

    static final Path REPORT = Path.of("target/wpt-report.json");
    /** How long past a run's deadline its answer may take (the CPU limit answers right at it). */
    static final long GRACE_MS = 2_000;
    static final long TIMEOUT_REQUEST_MS = 10_000;

    private record Run(String id, String key, String suite, long timeoutMs) {
    }

    private record Outcome(JsonObject result, long millis) {
    }

    @TestFactory
    Stream<DynamicTest> webPlatformTests() throws IOException {
        Instant bootStarted = Instant.ofEpochMilli(Long.parseLong(System.getProperty("wpt.generated.at", "0")));
        awaitReady();
        Duration boot = Duration.between(bootStarted, Instant.now());
        String memoryAtBoot = memory();

        JsonObject manifest = new JsonObject(Files.readString(WptApps.MANIFEST, StandardCharsets.UTF_8));
        List<Run> runs = new ArrayList<>();
        JsonArray listed = manifest.getJsonArray("runs");
        for (int i = 0; i < listed.size(); i++) {
            JsonObject run = listed.getJsonObject(i);
            runs.add(new Run(run.getString("id"), run.getString("key"), run.getString("suite"), run.getLong("timeoutMs")));
        }
        JsonArray serverPorts = manifest.getJsonArray("ports");
        int[] ports = {serverPorts.getInteger(0), serverPorts.getInteger(1)};
        boolean update = Boolean.getBoolean("wpt.update");
        WptExpectations expectations = WptExpectations.load();
        WptClient client = new WptClient(ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081));
        int concurrency = Integer.getInteger("wpt.concurrency", 1);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "wpt-runner");
            thread.setDaemon(true);
            return thread;
        });
        Instant started = Instant.now();
        Map<String, CompletableFuture<Outcome>> outcomes = new LinkedHashMap<>();
        for (Run run : runs) {
            outcomes.put(run.key(), CompletableFuture.supplyAsync(() -> execute(client, run, ports), pool));
        }

        Stream<DynamicTest> tests = runs.stream().map(run -> DynamicTest.dynamicTest(run.key(), () -> {
            JsonObject result = outcomes.get(run.key()).join().result();
            List<String> problems = expectations.mismatches(run.key(), result);
            if (!problems.isEmpty() && !update) {
                throw new AssertionFailedError(run.key() + " does not match " + WptExpectations.FILE + ":\n  "
                        + String.join("\n  ", problems)
                        + "\n(fix the runtime, or record the change with -Dwpt.update=true and give the reason)");
            }
        }));
        DynamicTest summary = DynamicTest.dynamicTest("summary (target/wpt-report.json)", () -> {
            Map<String, JsonObject> results = new TreeMap<>();
            JsonObject files = new JsonObject();
            for (Run run : runs) {
                Outcome outcome = outcomes.get(run.key()).join();
                results.put(run.key(), outcome.result());
                files.put(run.key(), fileReport(run, outcome, expectations.mismatches(run.key(), outcome.result())));
            }
            pool.shutdown();
            Duration elapsed = Duration.between(started, Instant.now());
            JsonObject report = report(manifest, files, boot, memoryAtBoot, elapsed);
            Files.writeString(REPORT, report.encodePrettily() + "\n", StandardCharsets.UTF_8);
            System.out.println(summaryTable(report));
            if (update) {
                expectations.update(results);
                System.out.println("WPT: rewrote " + WptExpectations.FILE + " from " + results.size() + " runs");
            }
        });
        return Stream.concat(tests, Stream.of(summary));
    }

    private static Outcome execute(WptClient client, Run run, int[] ports) {
        long start = System.nanoTime();
        JsonObject result;
        try {
            result = withStableNames(request(client, run), ports);
        } catch (RuntimeException e) {
            result = crash("the runner failed: " + e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("WPT %s: %s, %d subtests (%d ms)%n", run.key(), result.getString("status"),
                result.getJsonArray("tests").size(), millis);
        return new Outcome(result, millis);
    }

    /**
     * The results with the WPT server's ports in subtest names written as wptserve's templates
     * ({@code {{ports[http][0]}}}): the ports are ephemeral, the expectations must not be.
     */
    private static JsonObject withStableNames(JsonObject result, int[] ports) {
        JsonArray tests = result.getJsonArray("tests");
        for (int i = 0; i < tests.size(); i++) {
            JsonObject test = tests.getJsonObject(i);
            String name = test.getString("name");
            if (name != null) {
                for (int p = 0; p < ports.length; p++) {
                    name = name.replaceAll("(?<![0-9])" + ports[p] + "(?![0-9])", "{{ports[http][" + p + "]}}");
                }
                test.put("name", name);
            }
        }
        return result;
    }

    /** The harness's results, or a CRASH result saying why there are none. */
    private static JsonObject request(WptClient client, Run run) {
        String host = run.id() + ".wpt.test";
        try {
            WptClient.Response response = client.get(host, "/", run.timeoutMs() + GRACE_MS);
            if (response.status() != 504) {
                return parse(response);
            }
            throw new SocketTimeoutException("504 " + response.body()); // NANO's response-timeout
        } catch (SocketTimeoutException e) {
            // The page never completed: ask it to time out what is pending, as the harness would.
            try {
                JsonObject result = parse(client.get(host, "/timeout", TIMEOUT_REQUEST_MS));
                if ("TIMEOUT".equals(result.getString("status")) && result.getString("message") == null) {
                    result.put("message", "no result within " + run.timeoutMs() + " ms");
                }
                return result;
            } catch (SocketTimeoutException again) {
                return crash("no result within " + run.timeoutMs() + " ms, and none after timing out the pending tests");
            } catch (IOException | RuntimeException failed) {
                return crash("no result within " + run.timeoutMs() + " ms; timing out failed: " + failed);
            }
        } catch (IOException | RuntimeException e) {
            return crash("request failed: " + e);
        }
    }

    private static JsonObject parse(WptClient.Response response) {
        if (response.status() != 200) {
            // The app failed to load, threw outside the harness, or hit a limit: NANO says why.
            return crash("HTTP " + response.status() + ": " + response.body());
        }
        try {
            JsonObject result = new JsonObject(response.body());
            if (result.getValue("status") instanceof String && result.getValue("tests") instanceof JsonArray tests
                    && tests.stream().allMatch(test -> test instanceof JsonObject)) {
                return result;
            }
        } catch (RuntimeException e) {
            // not JSON: reported below
        }
        return crash("the app answered something that is not the results JSON: " + response.body());
    }

    private static JsonObject crash(String message) {
        return new JsonObject().put("status", "CRASH").put("message", message).put("tests", new JsonArray());
    }

    private static JsonObject fileReport(Run run, Outcome outcome, List<String> mismatches) {
        int passed = 0;
        int failed = 0;
        for (JsonObject test : WptExpectations.subtests(outcome.result()).values()) {
            if ("PASS".equals(test.getString("status"))) {
                passed++;
            } else {
                failed++;
            }
        }
        return new JsonObject().put("suite", run.suite()).put("status", outcome.result().getString("status"))
                .put("message", outcome.result().getString("message")).put("passed", passed).put("failed", failed)
                .put("millis", outcome.millis()).put("mismatches", new JsonArray(new ArrayList<>(mismatches)));
    }

    private static JsonObject report(JsonObject manifest, JsonObject files, Duration boot, String memoryAtBoot,
            Duration elapsed) {
        Map<String, JsonObject> suites = new TreeMap<>();
        JsonObject totals = new JsonObject();
        for (String key : files.fieldNames()) {
            JsonObject file = files.getJsonObject(key);
            JsonObject suite = suites.computeIfAbsent(file.getString("suite"), s -> new JsonObject());
            for (JsonObject into : List.of(suite, totals)) {
                add(into, "files", 1);
                add(into, "filesOk", "OK".equals(file.getString("status")) && file.getInteger("failed") == 0 ? 1 : 0);
                add(into, "subtests", file.getInteger("passed") + file.getInteger("failed"));
                add(into, "passed", file.getInteger("passed"));
                add(into, "failed", file.getInteger("failed"));
                add(into, "mismatches", file.getJsonArray("mismatches").isEmpty() ? 0 : 1);
            }
        }
        JsonArray skipped = manifest.getJsonArray("skipped");
        for (int i = 0; i < skipped.size(); i++) {
            JsonObject skip = skipped.getJsonObject(i);
            add(suites.computeIfAbsent(skip.getString("suite"), s -> new JsonObject()), "skipped", 1);
            add(totals, "skipped", 1);
        }
        JsonObject bySuite = new JsonObject();
        suites.forEach(bySuite::put);
        return new JsonObject()
                .put("filter", manifest.getString("filter"))
                .put("bootSeconds", boot.toMillis() / 1000.0)
                .put("memoryAtBoot", memoryAtBoot)
                .put("memoryAfterRuns", memory())
                .put("runSeconds", elapsed.toMillis() / 1000.0)
                .put("totals", totals)
                .put("suites", bySuite)
                .put("files", files);
    }

    private static void add(JsonObject into, String field, int value) {
        into.put(field, into.getInteger(field, 0) + value);
    }

    private static String summaryTable(JsonObject report) {
        StringBuilder out = new StringBuilder("\nWeb-platform tests (" + WptExpectations.FILE + "):\n");
        out.append(String.format("%-28s %6s %8s %9s %8s %8s %8s%n", "suite", "files", "files ok", "subtests",
                "passed", "failed", "skipped"));
        JsonObject suites = report.getJsonObject("suites");
        for (String suite : suites.fieldNames()) {
            out.append(row(suite, suites.getJsonObject(suite)));
        }
        out.append(row("total", report.getJsonObject("totals")));
        out.append(String.format("boot %.1f s (%s), runs %.1f s, after runs %s; mismatches in %d files%n",
                report.getDouble("bootSeconds"), report.getString("memoryAtBoot"), report.getDouble("runSeconds"),
                report.getString("memoryAfterRuns"), report.getJsonObject("totals").getInteger("mismatches", 0)));
        return out.toString();
    }

    private static String row(String name, JsonObject counts) {
        return String.format("%-28s %6d %8d %9d %8d %8d %8d%n", name, counts.getInteger("files", 0),
                counts.getInteger("filesOk", 0), counts.getInteger("subtests", 0), counts.getInteger("passed", 0),
                counts.getInteger("failed", 0), counts.getInteger("skipped", 0));
    }

    /** Heap in use after a GC, and the process's resident set. */
    private static String memory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String rss = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = (Long.parseLong(line.replaceAll("\\D", "")) / 1024) + " MiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "heap " + heap / (1024 * 1024) + " MiB, RSS " + rss;
    }

    /** Like {@link NanoTest#awaitReady()}, with room for hundreds of apps to load. */
    private static void awaitReady() {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            if (given().get(NanoTest.managementUrl("/q/health/ready")).statusCode() == 200) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("NANO did not become ready within 5 minutes");
    }
}
