package dev.nano.isolate;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * An app's code and env as loaded from configuration: the entry module, parsed once and shared
 * by every slot, the folder it may import from, and its env.
 */
record AppModule(Path folder, Source source, List<String> env) {

    static AppModule load(String modulePath, Map<String, String> env) throws IOException {
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
        List<String> envList = new ArrayList<>();
        env.forEach((name, value) -> {
            envList.add(name);
            envList.add(value);
        });
        return new AppModule(entry.getParent(), source, List.copyOf(envList));
    }

    /** The env as names and values, alternating, for the prelude to freeze into {@code env}. */
    ProxyArray envList() {
        return ProxyArray.fromList(new ArrayList<>(env));
    }
}
