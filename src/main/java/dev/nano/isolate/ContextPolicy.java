package dev.nano.isolate;

import java.io.IOException;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one security policy of every tenant Context: only methods marked
 * {@code @HostAccess.Export} on the runtime's own binding objects are reachable; no host
 * classes, threads, processes, native code or host environment; of polyglot access only what
 * WebAssembly needs (JS may evaluate JS and wasm); the disk is the app's own folder, read-only.
 */
final class ContextPolicy {

    /**
     * Shared by every Context of the engine (an engine refuses contexts with differing host
     * access). Buffer access lets request and response bytes cross without copies.
     */
    static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.EXPLICIT)
            .allowBufferAccess(true)
            .build();

    /**
     * GraalJS implements the WebAssembly JS API on GraalWasm and refuses to start it unless
     * "js" and "wasm" may evaluate each other and use the polyglot bindings. No other language
     * is installed or permitted; the `Polyglot` global this access would show is switched off
     * (js.polyglot-builtin) and deleted again by 99_bootstrap.js.
     */
    private static final PolyglotAccess POLYGLOT_ACCESS = PolyglotAccess.newBuilder()
            .allowEvalBetween("js", "wasm")
            .allowBindingsAccess("js")
            .allowBindingsAccess("wasm")
            .build();

    private ContextPolicy() {
    }

    static Context newContext(Engine engine, Path appFolder) throws IOException {
        return Context.newBuilder("js", "wasm")
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(POLYGLOT_ACCESS)
                .allowIO(IOAccess.newBuilder().fileSystem(new AppFolderFileSystem(appFolder)).build())
                .allowExperimentalOptions(true)
                .option("js.esm-eval-returns-exports", "true")
                // The runtime's prelude provides console; the shell's extras must not exist.
                .option("js.console", "false")
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.polyglot-builtin", "false")
                // Only for Graal.setUnhandledPromiseRejectionHandler, which the prelude takes
                // before it deletes the `Graal` global (80_timers.js).
                .option("js.graal-builtin", "true")
                .option("js.unhandled-rejections", "handler")
                .option("js.java-package-globals", "false")
                // WebAssembly (Module, Instance, Memory, Table, Global...) on GraalWasm; the
                // streaming functions are added by 85_webassembly.js.
                .option("js.webassembly", "true")
                .build();
    }
}
