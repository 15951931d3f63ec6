package dev.nano.wpt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One run of a web-platform-tests {@code *.any.js} file: the file with one of its
 * {@code // META: variant=} queries (or none), the helper scripts its {@code // META: script=}
 * lines name, and its deadline ({@code // META: timeout=long}).
 *
 * @param path     the file's path in the WPT folder, with {@code /} separators
 * @param variant  the test URL's query ({@code ?1-1000}), or {@code ""}
 * @param scripts  the helper scripts as absolute paths on the WPT server ({@code /common/utils.js})
 * @param longTimeout whether the file asks for WPT's long timeout
 * @param title    the {@code // META: title=}, or null
 */
record WptFile(String path, String variant, List<String> scripts, boolean longTimeout, String title) {

    /** The name of this run in the expectations file and the report. */
    String key() {
        return path + variant;
    }

    /**
     * The family the file belongs to, for the summary: the first folder, or the first two under
     * {@code dom/}, three under {@code html/} and {@code fetch/} (the folders the WPT README lists).
     */
    String suite() {
        String[] parts = path.split("/");
        int depth = switch (parts[0]) {
            case "dom" -> 2;
            case "html", "fetch" -> 3;
            default -> 1;
        };
        return String.join("/", List.of(parts).subList(0, Math.min(depth, parts.length - 1)));
    }

    /** The URL a worker running the file would have (wptserve's generated {@code .any.worker.js}). */
    String url(String origin) {
        return origin + "/" + path.substring(0, path.length() - ".js".length()) + ".worker.js" + variant;
    }

    /** Every {@code *.any.js} file under {@code root} that runs in a worker scope, once per variant. */
    static List<WptFile> discover(Path root) {
        List<WptFile> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path file : all.filter(p -> p.getFileName().toString().endsWith(".any.js"))
                    .sorted(Comparator.comparing(Path::toString)).toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.startsWith("resources/") || relative.contains("/resources/")) {
                    continue; // helpers named like tests, not tests
                }
                files.addAll(parse(relative, Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Reads the file's {@code // META:} header (https://web-platform-tests.org/writing-tests/testharness.html). */
    static List<WptFile> parse(String path, String source) {
        List<String> globals = null;
        List<String> variants = new ArrayList<>();
        List<String> scripts = new ArrayList<>();
        boolean longTimeout = false;
        String title = null;
        for (String line : source.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("//")) {
                if (trimmed.isEmpty()) {
                    continue;
                }
                break; // META lines only come first
            }
            String comment = trimmed.substring(2).strip();
            if (!comment.startsWith("META:")) {
                continue;
            }
            String meta = comment.substring("META:".length()).strip();
            int equals = meta.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = meta.substring(0, equals).strip();
            String value = meta.substring(equals + 1).strip();
            switch (key) {
                case "global" -> {
                    globals = new ArrayList<>();
                    for (String global : value.split(",")) {
                        globals.add(global.strip().toLowerCase(Locale.ROOT));
                    }
                }
                case "variant" -> variants.add(value);
                case "script" -> scripts.add(resolve(path, value));
                case "timeout" -> longTimeout = value.equals("long");
                case "title" -> title = value;
                default -> {
                    // other keys (e.g. quic) do not change how the file runs here
                }
            }
        }
        // No global line means window and dedicatedworker.
        boolean worker = globals == null || globals.contains("worker") || globals.contains("dedicatedworker");
        if (!worker) {
            return List.of();
        }
        if (variants.isEmpty()) {
            variants.add("");
        }
        List<WptFile> runs = new ArrayList<>();
        for (String variant : variants) {
            runs.add(new WptFile(path, variant, List.copyOf(scripts), longTimeout, title));
        }
        return runs;
    }

    /** A META script path as an absolute path on the WPT server, resolved against the test's folder. */
    static String resolve(String testPath, String script) {
        if (script.startsWith("/")) {
            return script;
        }
        String folder = testPath.contains("/") ? testPath.substring(0, testPath.lastIndexOf('/')) : "";
        Path resolved = Path.of("/" + folder).resolve(script).normalize();
        return resolved.toString().replace('\\', '/');
    }
}
