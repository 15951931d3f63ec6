package dev.nano.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Secrets folders laid out the way the kubelet mounts a Secret: {@code KEY -> ..data/KEY},
 * {@code ..data -> ..<stamp>}; a rotation writes a new stamped folder and swaps {@code ..data}
 * with one rename.
 */
public final class SecretsFixture {

    public static final Path ROOT = Path.of("target/test-secrets");
    public static final Path ENV = ROOT.resolve("env");
    public static final Path ROTATE = ROOT.resolve("envrotate");

    private SecretsFixture() {
    }

    /** Fresh folders for the apps env and envrotate, before NANO boots (TestApps). */
    public static void prepare() {
        try {
            if (Files.exists(ROOT)) {
                try (Stream<Path> all = Files.walk(ROOT)) {
                    for (Path path : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                        Files.delete(path);
                    }
                }
            }
            write(ENV, "..2026_12_03_00_00_00.000000001", Map.of("DB_PASSWORD", "s3cr3t-db-one\n",
                    "API_TOKEN", "tok-initial-value"));
            write(ROTATE, "..2026_12_03_00_00_00.000000001", Map.of("ROTATING", "rotating-secret-one"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the files into a new stamped folder and points {@code ..data} (and the key links) at it. */
    public static void write(Path folder, String stamp, Map<String, String> files) throws IOException {
        Files.createDirectories(folder.resolve(stamp));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(stamp).resolve(file.getKey()), file.getValue());
        }
        Path next = folder.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, Path.of(stamp));
        Files.move(next, folder.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String key : files.keySet()) {
            Path link = folder.resolve(key);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data").resolve(key));
            }
        }
    }
}
