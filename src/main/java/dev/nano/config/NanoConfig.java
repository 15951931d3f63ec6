package dev.nano.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything NANO reads from configuration, under {@code nano.*}. Apps may come from
 * {@code application.yaml} or from extra files named in {@code quarkus.config.locations}.
 */
@ConfigMapping(prefix = "nano")
public interface NanoConfig {

    /** The hosted apps, by name. The name tags metrics and log records. */
    Map<String, AppConfig> apps();

    /** Write one JSON access log record per request (logger {@code nano.access}). */
    @WithDefault("true")
    boolean accessLog();

    /**
     * Which event loop takes a new connection on the apps' port, when there are several:
     * {@code cpu}, the loop of the CPU that received the connection (the CPUs the process may use
     * are dealt to the loops in turn, and each loop is pinned to its own), or {@code hash}, the
     * kernel's hash of the addresses and ports. {@code hash} is the default: the conventional
     * behaviour, what a service behind a proxy or load balancer expects, and it needs neither
     * pinned threads nor native access; {@code cpu} is an opt-in whose gain was measured with the
     * load generator on NANO's own two cores (bench/README.md), not with clients elsewhere.
     */
    @WithDefault("hash")
    ConnectionSteering connectionSteering();

    /**
     * A connection on the apps' port without a request in progress for this long is closed: an
     * idle keep-alive connection, or one whose request head never completes (a slowloris
     * client sending a byte now and then). A request in progress keeps its connection.
     */
    @WithDefault("60s")
    Duration connectionIdleTimeout();

    /** The admin API on the management interface. */
    Admin admin();

    /** What each app may write to the log through {@code console}. */
    AppLog appLog();

    /**
     * How often each app's {@code secrets-dir} is read again; a changed file makes a new env
     * version. Polling rather than file events: a Kubernetes Secret volume changes by swapping
     * a {@code ..data} symlink, which file watchers on the key links do not report.
     */
    @WithDefault("2s")
    Duration secretsPollInterval();

    /**
     * How long shutdown, and the removal or replacement of an app, wait for its open requests
     * (responses still streaming and {@code ctx.waitUntil} work included) before cutting them.
     */
    @WithDefault("30s")
    Duration drainTimeout();

    /**
     * Watch every app's folder and apply a change as a replacement of the app (debounced); a
     * change that does not load is rejected and the running version stays.
     */
    @WithDefault("true")
    boolean hotReload();

    interface AppLog {
        /** Longer console lines are cut to this many characters, saying how many were cut. */
        @WithDefault("16384")
        int maxLineChars();

        /**
         * Console lines per second per app (the burst is one second's worth); faster lines are
         * dropped, counted in {@code nano_app_log_dropped_total} and reported once a second.
         */
        @WithDefault("1000")
        int maxLinesPerSecond();
    }

    interface Admin {
        /**
         * The bearer token the admin API requires ({@code Authorization: Bearer <token>}). Without
         * one the admin API is off: its paths answer 404.
         */
        Optional<String> token();

        /**
         * The folder whose files apps added through the admin API may load (their module must
         * resolve inside it, symbolic links followed). Relative to the working directory.
         */
        @WithDefault("apps")
        String appsRoot();
    }

    enum ConnectionSteering {
        /**
         * Connections a client thread opens from one CPU share a loop, and a loop serves the CPU
         * its connections' packets arrive on. But a client that connects from a single CPU (one
         * thread, on the same host) gets one loop.
         */
        CPU,
        /** Connections spread evenly whatever their origin, each client waiting on every loop. */
        HASH
    }

    /** One hosted JavaScript app. */
    interface AppConfig {

        /**
         * Path of the app's ES module entry file, relative to the working directory. The
         * folder that holds it is everything the app may import from.
         */
        String module();

        /**
         * Host names that route to this app: exact names ({@code hello.localhost}) or one
         * leading wildcard label ({@code *.example.com}, which matches any subdomain).
         */
        List<String> hostnames();

        /**
         * How long one uninterrupted slice of the app's JavaScript may run before it is
         * interrupted and the request answers 503.
         */
        @WithDefault("5s")
        Duration cpuLimit();

        /**
         * How long a request may take to send its response head before it answers 504 and its
         * work is cancelled; {@code ctx.waitUntil} work gets as long again after the response.
         */
        @WithDefault("30s")
        Duration responseTimeout();

        /** How many bytes one slice of the app's JavaScript may allocate before it is interrupted. */
        @WithDefault("512M")
        MemorySize memoryLimit();

        /**
         * The most JavaScript contexts this app gets; one per event loop by default. Requests
         * arriving on other event loops hop to an existing context's loop.
         */
        OptionalInt maxContexts();

        /**
         * Synthetic {@code GET} requests sent through the app's handler on start, before
         * readiness reports UP, so that the JIT has compiled its hot path. 0 disables it: only
         * use it for handlers without side effects.
         */
        @WithDefault("0")
        int warmupRequests();

        /** The path of the warm-up requests. */
        @WithDefault("/")
        String warmupPath();

        /**
         * The app's {@code env}: a frozen object of these strings, and nothing else. Read through
         * {@link AppsSource}, which keeps the keys' case when an environment variable overrides
         * one; this map is here so that SmallRye Config knows the keys belong to NANO.
         */
        Map<String, String> env();

        /**
         * More env entries as one JSON object of strings, for names an environment variable
         * cannot express ({@code NANO_APPS_<APP>_EXTRA_ENV='{"api-key":"..."}'}); its keys
         * replace the same keys of {@link #env()}.
         */
        Optional<String> extraEnv();

        /**
         * A folder with one file per secret env key (a mounted Kubernetes Secret); the file
         * name is the key and its content the value. Its keys replace configured ones. Read
         * again every {@code nano.secrets-poll-interval}.
         */
        Optional<String> secretsDir();

        /** Where the app's {@code fetch()} may connect, and its limits. */
        Outbound outbound();
    }

    /**
     * An app's outbound network (like workerd's {@code globalOutbound}): every address a host
     * name resolves to is checked before connecting. Entries are {@code public}, {@code private}
     * (RFC 1918, ULA fc00::/7, CGNAT 100.64.0.0/10), {@code local} (loopback and link-local) or a
     * CIDR such as {@code 10.1.0.0/16}. A deny entry wins over an allow entry. NANO's own ports
     * are always refused, and the cloud metadata address (169.254.169.254, fd00:ec2::254) unless
     * an allow CIDR names it.
     */
    interface Outbound {

        /** What the app may reach. */
        @WithDefault("public")
        List<String> allow();

        /** What the app may never reach, even if allowed. */
        Optional<List<String>> deny();

        /** Longest wait for a connection (TCP and TLS handshake) to the upstream. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Longest time from the start of one fetch (or redirect hop) to the end of its response body. */
        @WithDefault("60s")
        Duration timeout();

        /** Largest response body a fetch buffers; a larger one fails with a TypeError. */
        @WithDefault("32M")
        MemorySize maxResponseSize();

        /** Most fetches one request (or the app's top-level code) may have in flight at once. */
        @WithDefault("16")
        int maxConcurrent();

        /** Most redirects one fetch follows (the Fetch standard's 20). */
        @WithDefault("20")
        int maxRedirects();
    }
}
