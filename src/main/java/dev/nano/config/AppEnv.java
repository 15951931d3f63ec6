package dev.nano.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One immutable version of an app's env: what {@code fetch(request, env, ctx)} receives. A new
 * configuration, admin change or rotated secret makes a new instance with the next version; a
 * request keeps the version it started with.
 *
 * <p>Values are strings. A value that starts with {@link #JSON_MARKER} is JSON: the app sees
 * the parsed, deep-frozen value. {@link #toString()} and every error name keys only: values may
 * be secrets.
 */
public final class AppEnv {

    /** Marks a value as JSON: {@code json:{"retries":3}} arrives as a frozen object. */
    public static final String JSON_MARKER = "json:";
    /** The longest value, in UTF-8 bytes (the JSON marker included). */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /** The most bytes all keys and values of one app's env may take together. */
    public static final int MAX_TOTAL_BYTES = 1024 * 1024;
    public static final int MAX_KEY_LENGTH = 128;
    /**
     * A key is a JavaScript-friendly name: a letter or underscore, then letters, digits, {@code _},
     * {@code -} or {@code .} (Kubernetes Secret keys such as {@code tls.crt}).
     */
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final JsonFactory JSON = new JsonFactory();

    private final long version;
    private final SortedMap<String, String> values;
    private final SortedSet<String> secretKeys;

    private AppEnv(long version, Map<String, String> values, Set<String> secretKeys) {
        this.version = version;
        this.values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        this.secretKeys = Collections.unmodifiableSortedSet(new TreeSet<>(secretKeys));
    }

    /** Version 1 of an app's env, after {@link #validate}. */
    public static AppEnv first(Map<String, String> values, Set<String> secretKeys) throws InvalidEnvException {
        validate(values);
        return new AppEnv(1, values, secretKeys);
    }

    /** The next version, after {@link #validate}; this one is unchanged. */
    public AppEnv next(Map<String, String> nextValues, Set<String> nextSecretKeys) throws InvalidEnvException {
        validate(nextValues);
        return new AppEnv(version + 1, nextValues, nextSecretKeys);
    }

    /** Checks every key and value and the total size; the first problem found is thrown. */
    public static void validate(Map<String, String> values) throws InvalidEnvException {
        long total = 0;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            checkKey(key);
            String value = entry.getValue();
            if (value == null) {
                throw new InvalidEnvException(key, "the value must be a string, not null");
            }
            int bytes = utf8Length(value);
            if (bytes > MAX_VALUE_BYTES) {
                throw new InvalidEnvException(key, "the value is " + bytes + " bytes; the limit is "
                        + MAX_VALUE_BYTES);
            }
            if (value.startsWith(JSON_MARKER)) {
                checkJson(key, value.substring(JSON_MARKER.length()));
            }
            total += bytes + key.length();
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new InvalidEnvException(null, "the env takes " + total + " bytes; the limit is " + MAX_TOTAL_BYTES);
        }
    }

    /** Checks a key alone: not empty, not too long, made of the allowed characters. */
    public static void checkKey(String key) throws InvalidEnvException {
        if (key == null || key.isEmpty()) {
            throw new InvalidEnvException("", "an env key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidEnvException(key, "the key is longer than " + MAX_KEY_LENGTH + " characters");
        }
        if (!KEY.matcher(key).matches()) {
            throw new InvalidEnvException(key, "a key is a letter or _ followed by letters, digits, _, - or ."
                    + " (env values are strings: write a list or object as a json: value)");
        }
    }

    /** Parses without building anything; the error gives a position, never the text. */
    private static void checkJson(String key, String json) throws InvalidEnvException {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new InvalidEnvException(key, "nothing follows the json: marker");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidEnvException(key, "more than one JSON value follows the json: marker");
            }
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            throw new InvalidEnvException(key, "the value after the json: marker is not valid JSON" + at);
        } catch (IOException e) {
            throw new InvalidEnvException(key, "the value after the json: marker cannot be read");
        }
    }

    private static int utf8Length(String value) {
        // Every char is at least one byte: a value this long is over without encoding it.
        return value.length() > MAX_VALUE_BYTES ? value.length() : value.getBytes(StandardCharsets.UTF_8).length;
    }

    public long version() {
        return version;
    }

    /** The values by key, sorted. Never log or show them. */
    public SortedMap<String, String> values() {
        return values;
    }

    public SortedSet<String> keys() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(values.keySet()));
    }

    /** The keys whose values come from secret files. */
    public SortedSet<String> secretKeys() {
        return secretKeys;
    }

    public boolean sameValues(Map<String, String> other) {
        return values.equals(other);
    }

    /**
     * Keys, values (without the JSON marker) and whether each is JSON, in threes: what the
     * prelude turns into the frozen {@code env} object.
     */
    public List<Object> hostList() {
        List<Object> list = new ArrayList<>(values.size() * 3);
        values.forEach((key, value) -> {
            boolean json = value.startsWith(JSON_MARKER);
            list.add(key);
            list.add(json ? value.substring(JSON_MARKER.length()) : value);
            list.add(json);
        });
        return list;
    }

    /** Which keys this version added, changed and removed against {@code previous}: keys only. */
    public String describeChangeFrom(AppEnv previous) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        values.forEach((key, value) -> {
            String before = previous.values.get(key);
            if (before == null) {
                added.add(key);
            } else if (!Objects.equals(before, value)) {
                changed.add(key);
            }
        });
        previous.values.keySet().stream().filter(key -> !values.containsKey(key)).forEach(removed::add);
        return "added " + added + ", changed " + changed + ", removed " + removed;
    }

    @Override
    public String toString() {
        return "AppEnv[version " + version + ", keys " + values.keySet() + "]";
    }
}
