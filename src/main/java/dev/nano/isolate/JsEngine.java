package dev.nano.isolate;

import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

/**
 * The process-wide GraalJS engine. Sharing it lets every Context reuse parsed sources and
 * JIT-compiled code, and makes a Context cheap (~0.35 ms, ~72 KiB).
 */
@ApplicationScoped
public class JsEngine {

    /** What Truffle calls its runtime when it has no optimizing compiler. */
    static final String INTERPRETER = "Interpreted";

    private Engine engine;
    private Prelude prelude;

    @PostConstruct
    void start() {
        // wasm: GraalJS compiles WebAssembly modules with GraalWasm in the same engine.
        engine = Engine.newBuilder("js", "wasm")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        prelude = new Prelude();
        String implementation = implementationName();
        if (isOptimizing()) {
            Log.infof("GraalJS (%s) on the %s runtime", version(), implementation);
        } else {
            Log.warnf("GraalJS %s runs in the interpreter (%s): JavaScript will be 5-40x slower. "
                    + "Start the JVM with the JVMCI flags from the README.", version(), implementation);
        }
    }

    @PreDestroy
    void stop() {
        engine.close(true);
    }

    /** {@code GraalVM CE} with the optimizing runtime, {@code Interpreted} without. */
    public String implementationName() {
        return engine.getImplementationName();
    }

    public boolean isOptimizing() {
        return !INTERPRETER.equals(implementationName());
    }

    /** The GraalJS language version, e.g. {@code ECMAScript 2025}. */
    public String version() {
        return engine.getLanguages().get("js").getVersion();
    }

    Context newContext(Path appFolder) throws IOException {
        return ContextPolicy.newContext(engine, appFolder);
    }

    Prelude prelude() {
        return prelude;
    }
}
