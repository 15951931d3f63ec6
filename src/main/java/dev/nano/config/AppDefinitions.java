package dev.nano.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the apps' definitions ({@code nano.apps.*}) again from the config files, as Quarkus read
 * them at start.
 *
 * <p>The new config is built from the running one's sources, in the same order and with the
 * same ordinals: every YAML or properties file on disk ({@code file:} URLs: the files named by
 * {@code quarkus.config.locations}, {@code config/application.yaml}, and {@code application.yaml}
 * when the classpath is a folder) is read again, and every other source (the jar's
 * {@code application.yaml}, system properties, the environment, a test profile's overrides) is
 * kept as it is; neither can change while the process runs. So profiles, {@code ${...}}
 * expressions, the ordinal of a {@code quarkus.config.locations} file and AppsSource's
 * environment-variable rules apply as they did at start, and unchanged files map to equal
 * definitions. A file that appears later in a folder named by {@code quarkus.config.locations}
 * is not seen: Quarkus lists such folders once, at start.
 *
 * <p>A value that does not convert or a missing required key rejects only its app: the app is
 * hidden from the next attempt and reported in {@link Read#rejected()}, and the other apps still
 * map. A file that does not parse, or a bad key outside {@code nano.apps}, rejects the whole read.
 */
public final class AppDefinitions {

    /** {@code nano.apps.<name>.} in a problem's message; quoted names may hold dots. */
    private static final Pattern APP_PROPERTY = Pattern.compile("nano\\.apps\\.(\"[^\"]+\"|[^.\\s\"]+)\\.");
    private static final List<String> CLASSPATH_FILES = List.of("application.yaml", "application.yml",
            "application.properties", "META-INF/microprofile-config.properties");

    private AppDefinitions() {
    }

    /** One app as the files define it: the mapping and its configured env (AppsSource's rules). */
    public record Definition(NanoConfig.AppConfig config, Map<String, String> env) {
    }

    /** The apps the files define, and the apps whose definition is refused, each with why. */
    public record Read(Map<String, Definition> apps, Map<String, String> rejected) {
    }

    /** The files cannot be read, or a problem is not one app's: nothing of this read applies. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads every app's definition again from the sources of {@code running}. */
    public static Read read(SmallRyeConfig running) throws Unreadable {
        List<ConfigSource> sources = reread(running);
        Set<String> hidden = new TreeSet<>();
        Map<String, String> rejected = new TreeMap<>();
        while (true) {
            SmallRyeConfig fresh;
            try {
                fresh = build(running, sources, hidden);
            } catch (ConfigValidationException e) {
                List<String> general = new ArrayList<>();
                boolean newlyRejected = false;
                for (int i = 0; i < e.getProblemCount(); i++) {
                    String problem = e.getProblem(i).getMessage();
                    String app = appOf(problem);
                    if (app == null || hidden.contains(app)) {
                        general.add(problem);
                    } else {
                        rejected.merge(app, problem, (one, other) -> one + "; " + other);
                        newlyRejected = true;
                    }
                }
                if (!newlyRejected) {
                    throw new Unreadable(String.join("; ", general));
                }
                hidden.addAll(rejected.keySet());
                continue;
            } catch (RuntimeException e) {
                throw new Unreadable("the configuration cannot be built: " + e.getMessage());
            }
            Map<String, Definition> apps = new TreeMap<>();
            for (Map.Entry<String, NanoConfig.AppConfig> app : fresh.getConfigMapping(NanoConfig.class).apps().entrySet()) {
                try {
                    apps.put(app.getKey(), new Definition(app.getValue(),
                            AppsSource.configuredEnv(app.getKey(), app.getValue(), fresh)));
                } catch (InvalidEnvException e) {
                    rejected.put(app.getKey(), "invalid env: " + e.getMessage());
                }
            }
            return new Read(Collections.unmodifiableMap(apps), Collections.unmodifiableMap(rejected));
        }
    }

    /**
     * The config files the running config read from disk, without those found on the classpath
     * (inside the jar they cannot change; a classpath folder is the build's, not the operator's).
     */
    public static List<Path> watchedFiles(SmallRyeConfig running) {
        Set<String> classpath = new HashSet<>();
        ClassLoader loader = AppDefinitions.class.getClassLoader();
        for (String name : CLASSPATH_FILES) {
            try {
                Collections.list(loader.getResources(name)).forEach(url -> classpath.add(url.toString()));
            } catch (IOException e) {
                // nothing found there
            }
        }
        Set<Path> files = new LinkedHashSet<>();
        for (ConfigSource source : running.getConfigSources()) {
            URL url = fileUrl(source);
            if (url != null && !classpath.contains(url.toString())) {
                try {
                    files.add(Path.of(url.toURI()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a local path
                }
            }
        }
        return List.copyOf(files);
    }

    /** The running sources, with each file on disk read again (same ordinal, same position). */
    private static List<ConfigSource> reread(SmallRyeConfig running) throws Unreadable {
        List<ConfigSource> sources = new ArrayList<>();
        for (ConfigSource source : running.getConfigSources()) {
            URL url = fileUrl(source);
            if (url == null) {
                sources.add(source);
                continue;
            }
            try {
                sources.add(source instanceof YamlConfigSource ? new YamlConfigSource(url, source.getOrdinal())
                        : new PropertiesConfigSource(url, source.getOrdinal()));
            } catch (IOException | RuntimeException e) {
                throw new Unreadable("config file " + url.getPath() + " cannot be read: " + describe(e));
            }
        }
        return sources;
    }

    /**
     * The {@code file:} URL a YAML or properties source was loaded from, or null. Both name their
     * sources {@code <Type>[source=<url>]} when they load a URL.
     */
    private static URL fileUrl(ConfigSource source) {
        if (!(source instanceof YamlConfigSource) && !(source instanceof PropertiesConfigSource)) {
            return null;
        }
        String name = source.getName();
        int start = name.indexOf("[source=file:");
        if (start < 0 || !name.endsWith("]")) {
            return null;
        }
        try {
            return new URI(name.substring(start + "[source=".length(), name.length() - 1)).toURL();
        } catch (URISyntaxException | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private static SmallRyeConfig build(SmallRyeConfig running, List<ConfigSource> sources, Set<String> hidden) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .forClassLoader(AppDefinitions.class.getClassLoader())
                .withProfiles(running.getProfiles())
                .addDefaultInterceptors()
                .addDiscoveredConverters() // Quarkus's Duration ("5s") and MemorySize ("64M")
                .addDiscoveredSecretKeysHandlers()
                .withSources(sources)
                .withValidateUnknown(false) // as at start: an unknown key is not an error
                .withMapping(NanoConfig.class);
        if (!hidden.isEmpty()) {
            builder.withInterceptors(new Hiding(hidden));
        }
        return builder.build();
    }

    /** The app a problem is about, from the property it names; null when it names none. */
    private static String appOf(String problem) {
        Matcher matcher = APP_PROPERTY.matcher(problem);
        if (!matcher.find()) {
            return null;
        }
        String name = matcher.group(1);
        return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name;
    }

    /**
     * A YAML syntax error's own message quotes the line, which may hold a secret: only the
     * problem and its position are shown.
     */
    private static String describe(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                return yaml.getProblem() + " (line " + (yaml.getProblemMark().getLine() + 1) + ", column "
                        + (yaml.getProblemMark().getColumn() + 1) + ")";
            }
        }
        return e.getClass().getSimpleName();
    }

    /**
     * Hides every property of the rejected apps, so that the mapping leaves them out: by their
     * names as files write them ({@code nano.apps.x.}, {@code %prod.nano.apps.x.}) and as the
     * environment does ({@code NANO_APPS_X_}).
     */
    private static final class Hiding implements ConfigSourceInterceptor {
        private final Set<String> prefixes = new HashSet<>();
        private final Set<String> environmentPrefixes = new HashSet<>();

        Hiding(Set<String> apps) {
            for (String app : apps) {
                prefixes.add("nano.apps." + app + ".");
                prefixes.add("nano.apps.\"" + app + "\".");
                environmentPrefixes.add(normalize("nano.apps." + app + "."));
            }
        }

        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            return hides(name) ? null : context.proceed(name);
        }

        @Override
        public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
            List<String> names = new ArrayList<>();
            context.iterateNames().forEachRemaining(name -> {
                if (!hides(name)) {
                    names.add(name);
                }
            });
            return names.iterator();
        }

        private boolean hides(String name) {
            String plain = name.startsWith("%") && name.indexOf('.') > 0 ? name.substring(name.indexOf('.') + 1) : name;
            if (plain.indexOf('.') >= 0) {
                return prefixes.stream().anyMatch(plain::startsWith);
            }
            String normalized = normalize(plain);
            return environmentPrefixes.stream().anyMatch(normalized::startsWith);
        }

        private static String normalize(String name) {
            StringBuilder normalized = new StringBuilder(name.length());
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                normalized.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
            }
            return normalized.toString();
        }
    }
}
