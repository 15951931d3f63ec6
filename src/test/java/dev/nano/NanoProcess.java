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
        if (extraAppsYaml != null) {
            Path extraApps = Files.createTempFile("nano-extra-apps", ".yaml");
            Files.writeString(extraApps, extraAppsYaml);
            command.add("-Dquarkus.config.locations=" + extraApps.toAbsolutePath());
        }
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
