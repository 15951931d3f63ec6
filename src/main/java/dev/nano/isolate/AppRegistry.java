package dev.nano.isolate;

import dev.nano.config.NanoConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configured apps and the Host index that routes to them. Apps load on a background thread
 * after start-up so that liveness is UP at once; readiness waits for {@link #allLoaded()}.
 */
@Singleton // used on every request: no client proxy in the way
public class AppRegistry {

    @Inject
    NanoConfig config;
    @Inject
    Instance<AppIsolate> isolates;

    private final Map<String, AppIsolate> apps = new TreeMap<>();
    private final Map<String, AppIsolate> exactHosts = new HashMap<>();
    /** Wildcard suffixes (".example.com"), longest first, so the most specific one wins. */
    private final List<Map.Entry<String, AppIsolate>> wildcardHosts = new ArrayList<>();
    private volatile boolean loaded;

    void onStart(@Observes StartupEvent event) {
        config.apps().forEach((name, appConfig) -> {
            AppIsolate app = isolates.get();
            app.init(name, appConfig);
            apps.put(name, app);
            for (String hostname : appConfig.hostnames()) {
                index(hostname.toLowerCase(Locale.ROOT), app);
            }
        });
        wildcardHosts.sort((a, b) -> b.getKey().length() - a.getKey().length());
        Thread.ofPlatform().name("nano-app-loader").daemon().start(() -> {
            apps.values().forEach(AppIsolate::load);
            loaded = true;
            Log.infof("all %d apps loaded", apps.size());
        });
    }

    private void index(String hostname, AppIsolate app) {
        if (hostname.startsWith("*.")) {
            wildcardHosts.add(Map.entry(hostname.substring(1), app));
            return;
        }
        AppIsolate previous = exactHosts.put(hostname, app);
        if (previous != null) {
            throw new IllegalStateException("host " + hostname + " is claimed by both apps "
                    + previous.name() + " and " + app.name());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        apps.values().forEach(app -> {
            app.stop();
            isolates.destroy(app);
        });
    }

    /** The app serving this host (lower case, without port), or null. */
    public AppIsolate lookup(String host) {
        AppIsolate app = exactHosts.get(host);
        if (app != null) {
            return app;
        }
        for (Map.Entry<String, AppIsolate> wildcard : wildcardHosts) {
            if (host.endsWith(wildcard.getKey())) {
                return wildcard.getValue();
            }
        }
        return null;
    }

    public Collection<AppIsolate> apps() {
        return apps.values();
    }

    /** True once every app has left LOADING (ACTIVE or FAILED). */
    public boolean allLoaded() {
        return loaded;
    }
}
