package dev.nano.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads an app's configured env from MicroProfile Config, keeping the keys' case.
 *
 * <p>SmallRye maps {@code NANO_APPS_ENVBAR_ENV_API_KEY} onto a {@code Map<String, String>} as a
 * new key {@code api.key} beside the YAML's {@code API_KEY}: an environment variable name does
 * not say where its dots and case were. And a file named in {@code quarkus.config.locations}
 * gets the ordinal of the source that named it: 400 for {@code -Dquarkus.config.locations=...},
 * above the environment's 300, so no variable could override its keys (measured on 3.37.4).
 * So the keys come from every source except the environment ({@code application.yaml}, extra
 * config files, system properties, {@code %profile} entries of the active profiles); each key's
 * value is looked up by its full name (active profile, {@code ${...}} expressions); and then an
 * environment variable (or {@code .env} entry) whose name is the property's in upper case with
 * {@code _} for every other character ({@code _PROD_NANO_...} for a profile) replaces a value
 * that came from a config file, whatever that file's ordinal; other sources (system properties)
 * keep their precedence. Names the environment cannot express, or keys no file declares, come
 * from {@code nano.apps.<name>.extra-env}, a JSON object.
 */
public final class AppsSource {

    private static final JsonFactory JSON = new JsonFactory();

    private AppsSource() {
    }

    /** The app's env from configuration: {@code env.<KEY>} entries, then {@code extra-env}. */
    public static Map<String, String> configuredEnv(String app, NanoConfig.AppConfig config)
            throws InvalidEnvException {
        return configuredEnv(app, config, ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
    }

    /** The same, from the given config (the config files read again: {@link AppDefinitions}). */
    public static Map<String, String> configuredEnv(String app, NanoConfig.AppConfig config, SmallRyeConfig smallRye)
            throws InvalidEnvException {
        String prefix = "nano.apps." + app + ".env.";
        Map<String, String> env = new LinkedHashMap<>();
        EnvironmentIndex environment = new EnvironmentIndex(smallRye);
        for (Map.Entry<String, String> declared : declaredKeys(smallRye, prefix).entrySet()) {
            String key = declared.getKey();
            String property = prefix + declared.getValue();
            AppEnv.checkKey(key);
            ConfigValue configValue;
            try {
                configValue = smallRye.getConfigValue(property);
            } catch (NoSuchElementException | IllegalArgumentException e) {
                throw new InvalidEnvException(key, "its ${...} expression cannot be expanded: " + e.getMessage());
            }
            String value = configValue.getValue() != null ? configValue.getValue() : "";
            String fromEnvironment = environment.override(property, configValue);
            env.put(key, fromEnvironment != null ? fromEnvironment : value);
        }
        if (config.extraEnv().isPresent()) {
            env.putAll(parseStringObject(config.extraEnv().get(), "nano.apps." + app + ".extra-env"));
        }
        return env;
    }

    /**
     * Map keys under {@code prefix} that a non-environment source names, profile-aware: each key
     * with the name it has in the property (quoted when it holds dots).
     */
    private static Map<String, String> declaredKeys(SmallRyeConfig config, String prefix) {
        List<String> profiles = config.getProfiles();
        Map<String, String> keys = new TreeMap<>();
        for (ConfigSource source : config.getConfigSources()) {
            if (source instanceof EnvConfigSource) {
                continue;
            }
            for (String name : source.getPropertyNames()) {
                String plain = name;
                if (name.startsWith("%")) {
                    int dot = name.indexOf('.');
                    if (dot < 0 || !anyActive(name.substring(1, dot), profiles)) {
                        continue;
                    }
                    plain = name.substring(dot + 1);
                }
                if (plain.startsWith(prefix) && plain.length() > prefix.length()) {
                    String inProperty = plain.substring(prefix.length());
                    keys.put(unquote(inProperty), inProperty);
                }
            }
        }
        return keys;
    }

    /**
     * The environment's entries by normalized name (upper case, {@code _} for every other
     * character), the highest-ordinal source first.
     */
    private static final class EnvironmentIndex {
        private final Map<String, String> values = new java.util.HashMap<>();
        private final Map<String, Integer> ordinals = new java.util.HashMap<>();
        private final java.util.Set<String> files = new java.util.HashSet<>();
        private final List<String> profiles;

        EnvironmentIndex(SmallRyeConfig config) {
            this.profiles = config.getProfiles();
            for (ConfigSource source : config.getConfigSources()) { // highest ordinal first
                if (source instanceof YamlConfigSource || source instanceof PropertiesConfigSource) {
                    files.add(source.getName());
                }
                if (source instanceof EnvConfigSource) {
                    for (String name : source.getPropertyNames()) {
                        String normalized = normalize(name);
                        if (!values.containsKey(normalized) && source.getValue(name) != null) {
                            values.put(normalized, source.getValue(name));
                            ordinals.put(normalized, source.getOrdinal());
                        }
                    }
                }
            }
        }

        /**
         * The environment's value for the property, when the value came from a config file or
         * from a source the environment outranks.
         */
        String override(String property, ConfigValue setBy) {
            int setByOrdinal = files.contains(setBy.getConfigSourceName()) ? Integer.MIN_VALUE
                    : setBy.getConfigSourceOrdinal();
            for (String profile : profiles) {
                String value = outranking(normalize("%" + profile + "." + property), setByOrdinal);
                if (value != null) {
                    return value;
                }
            }
            return outranking(normalize(property), setByOrdinal);
        }

        private String outranking(String normalized, int setByOrdinal) {
            Integer ordinal = ordinals.get(normalized);
            return ordinal != null && ordinal > setByOrdinal ? values.get(normalized) : null;
        }

        /** MicroProfile Config's environment variable name for a property. */
        static String normalize(String name) {
            StringBuilder normalized = new StringBuilder(name.length());
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                normalized.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
            }
            return normalized.toString();
        }
    }

    private static boolean anyActive(String profileList, List<String> active) {
        for (String profile : profileList.split(",")) {
            if (active.contains(profile.trim())) {
                return true;
            }
        }
        return false;
    }

    /** YAML keys with dots arrive quoted: {@code "tls.crt"}. */
    private static String unquote(String key) {
        return key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }

    /**
     * A JSON object whose values are all strings, as a map. Errors name the property and
     * position, never the text.
     */
    public static Map<String, String> parseStringObject(String json, String property) throws InvalidEnvException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEnvException(null, property + " must be a JSON object of strings");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw new InvalidEnvException(key, "in " + property + ", the value must be a JSON string");
                }
                entries.put(key, parser.getText());
            }
            if (parser.nextToken() != null) {
                throw new InvalidEnvException(null, property + " holds more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidEnvException(null, property + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new InvalidEnvException(null, property + " cannot be read");
        }
        return entries;
    }
}
