package dev.nano.lifecycle;

import dev.nano.config.NanoConfig;
import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.AppRegistry.ChangeRejected;
import dev.nano.isolate.AppState;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hot reload: watches every routed app's folder (and its subfolders) and, once changes have
 * been quiet for {@link #DEBOUNCE_MILLIS}, replaces the app with a version loaded from the files
 * now on disk ({@link AppRegistry#reload}). A version that does not load (syntax error,
 * top-level throw) is rejected with a log line and the running one stays. It also watches the
 * config files that define apps, and applies their changes the same way, debounced alike
 * ({@link ConfigReload}). Stops first on shutdown.
 */
@Singleton
public class Reloader {

    static final long DEBOUNCE_MILLIS = 500;
    /** How often the config files are read to see whether they changed. */
    static final long CONFIG_POLL_MILLIS = 250;

    @Inject
    AppRegistry registry;
    @Inject
    NanoConfig config;
    @Inject
    ConfigReload configReload;

    private volatile WatchService watcher;
    private volatile boolean stopped;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (!config.hotReload()) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            Log.warnf("hot reload is off: cannot watch files (%s)", e.getMessage());
            return;
        }
        thread = Thread.ofPlatform().name("nano-reloader").daemon().start(this::run);
    }

    private void run() {
        Map<WatchKey, Path> folders = new HashMap<>();
        Map<String, Long> changedAt = new HashMap<>();
        ConfigFiles configFiles = new ConfigFiles(configReload.watchedFiles());
        long configCheckedAt = System.nanoTime();
        long configChangedAt = 0;
        try {
            while (!stopped) {
                Map<Path, String> owners = watchFolders(folders);
                WatchKey key = watcher.poll(100, TimeUnit.MILLISECONDS);
                while (key != null) {
                    Path folder = folders.get(key);
                    if (!key.pollEvents().isEmpty() && folder != null) {
                        String app = ownerOf(folder, owners);
                        if (app != null) {
                            changedAt.put(app, System.nanoTime());
                        }
                    }
                    if (!key.reset()) {
                        folders.remove(key);
                    }
                    key = watcher.poll();
                }
                long now = System.nanoTime();
                if (now - configCheckedAt >= TimeUnit.MILLISECONDS.toNanos(CONFIG_POLL_MILLIS)) {
                    configCheckedAt = now;
                    if (configFiles.changed()) {
                        configChangedAt = now;
                    }
                }
                if (configChangedAt != 0 && now - configChangedAt >= TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MILLIS)
                        && !stopped) {
                    configChangedAt = 0;
                    reloadConfig();
                }
                for (String app : Set.copyOf(changedAt.keySet())) {
                    if (now - changedAt.get(app) >= TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MILLIS) && !stopped) {
                        changedAt.remove(app);
                        reload(app);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopped
        }
    }

    private void reload(String app) {
        Log.infof("app %s: its files changed; loading a new version", app);
        try {
            AppIsolate next = registry.reload(app, "files changed");
            Log.infof("app %s: hot reload done, version %d serves", app, next.version());
        } catch (ChangeRejected e) {
            Log.errorf("app %s: hot reload rejected, the running version stays: %s", app, e.getMessage());
        } catch (RuntimeException e) {
            Log.errorf(e, "app %s: hot reload failed, the running version stays", app);
        }
    }

    private void reloadConfig() {
        try {
            configReload.apply("config files changed");
        } catch (RuntimeException e) {
            Log.errorf(e, "applying the changed config files failed; the running apps stay");
        }
    }

    /**
     * The config files' contents, read again on each {@link #changed()}. Polled rather than
     * watched: an editor saves by writing another file and renaming it over this one, and a
     * Kubernetes ConfigMap volume swaps a {@code ..data} symlink the file's link leads through;
     * a watch on the file misses both, and a watch on its folder reports other names (the
     * editor's temporary file, {@code ..data}). Reading a few small files four times a second
     * costs nothing and sees every way the content can change; a file that goes missing counts
     * as a change too (the reload then reports it cannot be read).
     */
    private static final class ConfigFiles {
        private final Map<Path, String> digests = new HashMap<>();

        ConfigFiles(List<Path> files) {
            files.forEach(file -> digests.put(file, digest(file)));
            if (!files.isEmpty()) {
                Log.infof("hot reload: watching the config files %s", files);
            }
        }

        boolean changed() {
            boolean changed = false;
            for (Map.Entry<Path, String> file : digests.entrySet()) {
                String now = digest(file.getKey());
                if (!now.equals(file.getValue())) {
                    file.setValue(now);
                    changed = true;
                }
            }
            return changed;
        }

        private static String digest(Path file) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            } catch (IOException e) {
                return "unreadable: " + e.getClass().getSimpleName();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Registers the folders of the routed apps not watched yet; returns folder -> app. */
    private Map<Path, String> watchFolders(Map<WatchKey, Path> folders) {
        Map<Path, String> owners = new HashMap<>();
        Set<Path> watched = new HashSet<>(folders.values());
        for (AppIsolate app : registry.apps()) {
            if (app.state() != AppState.ACTIVE && app.state() != AppState.FAILED) {
                continue;
            }
            Path root = Path.of(app.config().module()).toAbsolutePath().normalize().getParent();
            owners.put(root, app.name());
            if (watched.contains(root)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(root, 4)) {
                tree.filter(Files::isDirectory).filter(folder -> !watched.contains(folder)).forEach(folder -> {
                    try {
                        folders.put(folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE), folder);
                        watched.add(folder);
                    } catch (IOException e) {
                        Log.debugf(e, "cannot watch %s", folder);
                    }
                });
            } catch (IOException | RuntimeException e) {
                Log.debugf(e, "cannot watch the folder of app %s", app.name());
            }
        }
        return owners;
    }

    /** The app whose folder holds this one (the deepest app folder wins). */
    private static String ownerOf(Path folder, Map<Path, String> owners) {
        for (Path at = folder; at != null; at = at.getParent()) {
            String app = owners.get(at);
            if (app != null) {
                return app;
            }
        }
        return null;
    }

    /** Stops watching; called first on shutdown, so that no reload races it. */
    public void stop() {
        stopped = true;
        WatchService current = watcher;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                Log.debugf(e, "closing the file watcher failed");
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stop();
    }
}
