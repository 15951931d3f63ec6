package dev.nano.admin;

import dev.nano.admin.AdminJson.Rejection;
import dev.nano.config.NanoConfig.AppConfig;
import dev.nano.config.NanoConfig.Outbound;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app as the admin API's {@code add} and {@code replace} describe it, validated: the
 * module must be a file inside {@code nano.admin.apps-root} (symbolic links resolved).
 */
record AppSpec(String module, List<String> hostnames, Duration cpuLimit, Duration responseTimeout,
               MemorySize memoryLimit, OptionalInt maxContexts, Map<String, String> env, Outbound outbound)
        implements AppConfig {

    /** An added app's outbound network: NanoConfig's defaults (public addresses only). */
    static final Outbound DEFAULT_OUTBOUND = new Outbound() {
        @Override
        public List<String> allow() {
            return List.of("public");
        }

        @Override
        public Optional<List<String>> deny() {
            return Optional.empty();
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(60);
        }

        @Override
        public MemorySize maxResponseSize() {
            return new MemorySize(java.math.BigInteger.valueOf(32L * 1024 * 1024));
        }

        @Override
        public int maxConcurrent() {
            return 16;
        }

        @Override
        public int maxRedirects() {
            return 20;
        }
    };

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern HOSTNAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Set<String> FIELDS = Set.of("name", "module", "hostnames", "cpuLimit", "responseTimeout",
            "memoryLimit", "maxContexts", "env");

    static AppSpec from(JsonObject body, Path appsRoot, AppConfig defaults) throws Rejection {
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new Rejection(400, "unknown_field", "unknown field '" + field + "'; known: " + FIELDS, field);
            }
        }
        String module = string(body, "module", defaults == null ? null : defaults.module());
        if (module == null) {
            throw new Rejection(400, "missing_field", "'module' is required: the app's entry file", "module");
        }
        Path entry = checkModule(module, appsRoot);
        List<String> hostnames = hostnames(body, defaults);
        return new AppSpec(entry.toString(), hostnames,
                duration(body, "cpuLimit", defaults == null ? Duration.ofSeconds(5) : defaults.cpuLimit()),
                duration(body, "responseTimeout", defaults == null ? Duration.ofSeconds(30) : defaults.responseTimeout()),
                memory(body, defaults == null ? new MemorySize(java.math.BigInteger.valueOf(512L * 1024 * 1024)) : defaults.memoryLimit()),
                maxContexts(body, defaults), Map.of(), defaults == null ? DEFAULT_OUTBOUND : defaults.outbound());
    }

    private static Path checkModule(String module, Path appsRoot) throws Rejection {
        Path root;
        Path entry;
        try {
            root = appsRoot.toRealPath();
        } catch (IOException e) {
            throw new Rejection(409, "no_apps_root", "the apps root " + appsRoot.toAbsolutePath()
                    + " (nano.admin.apps-root) does not exist", "module");
        }
        Path asked = Path.of(module);
        Path candidate = (asked.isAbsolute() ? asked : root.resolve(asked)).normalize();
        try {
            entry = candidate.toRealPath();
        } catch (IOException e) {
            throw new Rejection(400, "module_not_found", "no module file at " + module + " (relative paths are "
                    + "inside the apps root)", "module");
        }
        if (!entry.startsWith(root)) {
            throw new Rejection(403, "module_outside_apps_root", "the module " + module + " is outside the apps root "
                    + root, "module");
        }
        if (!Files.isRegularFile(entry)) {
            throw new Rejection(400, "module_not_found", "the module " + module + " is not a file", "module");
        }
        return entry;
    }

    private static List<String> hostnames(JsonObject body, AppConfig defaults) throws Rejection {
        Object value = body.getValue("hostnames");
        if (value == null) {
            if (defaults != null) {
                return defaults.hostnames();
            }
            throw new Rejection(400, "missing_field", "'hostnames' is required: an array of host names", "hostnames");
        }
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new Rejection(400, "invalid_hostnames", "'hostnames' must be a non-empty array of strings",
                    "hostnames");
        }
        List<String> hostnames = new ArrayList<>();
        for (Object each : array) {
            if (!(each instanceof String text) || !HOSTNAME.matcher(text.toLowerCase(Locale.ROOT)).matches()) {
                throw new Rejection(400, "invalid_hostnames", "not a host name: " + each, "hostnames");
            }
            hostnames.add(text.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(hostnames);
    }

    private static String string(JsonObject body, String field, String fallback) throws Rejection {
        Object value = body.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new Rejection(400, "invalid_" + field, "'" + field + "' must be a non-empty string", field);
        }
        return text;
    }

    /** "5s", "300ms", "2m" or an ISO-8601 duration. */
    private static Duration duration(JsonObject body, String field, Duration fallback) throws Rejection {
        String text = string(body, field, null);
        if (text == null) {
            return fallback;
        }
        try {
            String lower = text.trim().toLowerCase(Locale.ROOT);
            Duration parsed;
            if (lower.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
            } else if (lower.endsWith("s")) {
                parsed = Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1)));
            } else if (lower.endsWith("m")) {
                parsed = Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1)));
            } else {
                parsed = Duration.parse(text);
            }
            if (parsed.isNegative() || parsed.isZero()) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Rejection(400, "invalid_" + field, "'" + field + "' must be a positive duration such as 5s or "
                    + "300ms, not " + text, field);
        }
    }

    private static MemorySize memory(JsonObject body, MemorySize fallback) throws Rejection {
        String text = string(body, "memoryLimit", null);
        if (text == null) {
            return fallback;
        }
        var matcher = Pattern.compile("(\\d+)([kmg]?)").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new Rejection(400, "invalid_memoryLimit", "'memoryLimit' must be a size such as 64M, not " + text,
                    "memoryLimit");
        }
        long bytes = Long.parseLong(matcher.group(1)) * switch (matcher.group(2)) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            case "g" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return new MemorySize(java.math.BigInteger.valueOf(bytes));
    }

    private static OptionalInt maxContexts(JsonObject body, AppConfig defaults) throws Rejection {
        Object value = body.getValue("maxContexts");
        if (value == null) {
            return defaults == null ? OptionalInt.empty() : defaults.maxContexts();
        }
        if (!(value instanceof Integer count) || count < 1 || count > 1024) {
            throw new Rejection(400, "invalid_maxContexts", "'maxContexts' must be an integer from 1 to 1024",
                    "maxContexts");
        }
        return OptionalInt.of(count);
    }

    /** The body's env: an object of strings (JSON values as strings starting with json:). */
    static Map<String, String> env(JsonObject body, Map<String, String> fallback) throws Rejection {
        Object value = body.getValue("env");
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonObject object)) {
            throw new Rejection(400, "invalid_env", "'env' must be an object of strings", "env");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : object) {
            if (!(entry.getValue() instanceof String text)) {
                throw new Rejection(400, "invalid_value", "the value of env key '" + entry.getKey()
                        + "' must be a string", entry.getKey());
            }
            env.put(entry.getKey(), text);
        }
        return env;
    }

    @Override
    public int warmupRequests() {
        return 0;
    }

    @Override
    public String warmupPath() {
        return "/";
    }

    @Override
    public Optional<String> extraEnv() {
        return Optional.empty();
    }

    @Override
    public Optional<String> secretsDir() {
        return Optional.empty();
    }
}
