package dev.nano;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged jar started as a separate process, the way ./nano run and the image start it. */
public final class NanoProcess {

    public final Process process;
    public final Path log;
    public final int httpPort;
    public final int managementPort;

    private NanoProcess(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** Starts NANO with an extra apps file (YAML text, may be null) and extra environment. */
    public static NanoProcess start(String extraAppsYaml, Map<String, String> environment) throws IOException {
        return start(extraAppsYaml, environment, freePort());
    }

    /** The same, serving the apps on {@code httpPort}. */
    public static NanoProcess start(String extraAppsYaml, Map<String, String> environment, int httpPort)
            throws IOException {
        Path extraApps = null;
        if (extraAppsYaml != null) {
            extraApps = Files.createTempFile("nano-extra-apps", ".yaml");
            Files.writeString(extraApps, extraAppsYaml);
        }
        return start(extraApps, environment, httpPort, List.of());
    }

    /**
     * Starts NANO with {@code -Dquarkus.config.locations=<configFile>} (the test keeps the file,
     * to change it while NANO runs), extra JVM system properties ({@code -Dkey=value}) and
     * extra environment.
     */
    public static NanoProcess start(Path configFile, Map<String, String> environment, List<String> systemProperties)
            throws IOException {
        return start(configFile, environment, freePort(), systemProperties);
    }

    private static NanoProcess start(Path configFile, Map<String, String> environment, int httpPort,
            List<String> systemProperties) throws IOException {
        Path appDir = Path.of(System.getProperty("nano.app.dir", "target/quarkus-app"));
        Path jvmci = Path.of(System.getProperty("nano.jvmci.dir", "target/jvmci"));
        int managementPort = freePort();
        Path log = Files.createTempFile("nano-it", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + jvmci.toAbsolutePath(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.port=" + managementPort));
        if (configFile != null) {
            command.add("-Dquarkus.config.locations=" + configFile.toAbsolutePath());
        }
        command.addAll(systemProperties);
        command.addAll(List.of("-jar", appDir.resolve("quarkus-run.jar").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new NanoProcess(builder.start(), log, httpPort, managementPort);
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
