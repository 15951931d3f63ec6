package dev.nano.isolate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Source;

/**
 * An app's code as loaded from configuration: the entry module, parsed once and shared by every
 * slot, and the folder it may import from. Its env is versioned apart ({@link dev.nano.config.AppEnv}).
 */
record AppModule(Path folder, Source source) {

    static AppModule load(String modulePath) throws IOException {
        Path entry = Path.of(modulePath).toAbsolutePath().normalize();
        if (!Files.isRegularFile(entry)) {
            throw new IOException("module file not found: " + entry);
        }
        Source source = Source.newBuilder("js", entry.toFile())
                .mimeType("application/javascript+module")
                .cached(true)
                .build();
        return new AppModule(entry.getParent(), source);
    }
}
