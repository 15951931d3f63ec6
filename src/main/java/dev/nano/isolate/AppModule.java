package dev.nano.isolate;

import java.io.File;
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
            // The file name only: load failures are shown to clients (503), the host's layout is not.
            throw new IOException("module file not found: " + entry.getFileName());
        }
        // Named by its path in the app's virtual file system (AppFolderFileSystem), so stacks and
        // errors show "/index.js", not where the folder is on the host; imports resolve from there.
        Source source = Source.newBuilder("js", new File(AppFolderFileSystem.virtualPath(entry.getParent(), entry)))
                .content(Files.readString(entry))
                .mimeType("application/javascript+module")
                .cached(true)
                .build();
        return new AppModule(entry.getParent(), source);
    }
}
