package dev.nano.isolate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The runtime's JavaScript side: the Web API files under {@code nano/js/}, parsed once and
 * evaluated into every Context before the app. Each file runs as
 * {@code function (binding, internals) { ... }}: {@code binding} is the Java host object,
 * {@code internals} is how files share what they define. Neither is ever reachable from
 * app code. The last file returns the runtime object that attaches an app.
 */
final class Prelude {

    /** In evaluation order: a file may only use what earlier files put in {@code internals}. */
    static final List<String> FILES = List.of(
            "00_primordials.js",
            "01_webidl.js",
            "02_infra.js",
            "03_dom_exception.js",
            "10_events.js",
            "11_abort.js",
            "20_encoding.js",
            "21_base64.js",
            "30_url.js",
            "31_urlpattern.js",
            "40_readable_stream.js",
            "41_writable_stream.js",
            "42_transform_stream.js",
            "43_host_streams.js",
            "50_file.js",
            "51_formdata.js",
            "60_headers.js",
            "61_body.js",
            "62_request.js",
            "62_response.js",
            "70_crypto.js",
            "80_timers.js",
            "81_structured_clone.js",
            "83_performance.js",
            "84_console.js",
            "90_global_scope.js",
            "99_bootstrap.js");

    private static final Source INTERNALS = Source.create("js", "Object.create(null)");

    /** Strong references: the engine caches parsed code only while its Source is alive. */
    private final List<Source> sources = FILES.stream().map(Prelude::load).toList();

    /** Evaluates every prelude file into the context and returns the runtime object. */
    Value install(Context context, Object binding) {
        Value internals = context.eval(INTERNALS);
        Value runtime = null;
        for (Source source : sources) {
            runtime = context.eval(source).execute(binding, internals);
        }
        return runtime;
    }

    private static Source load(String file) {
        String resource = "nano/js/" + file;
        try (InputStream in = Prelude.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing prelude file " + resource);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // On one line with the body's first, so stack traces keep the file's line numbers.
            String wrapped = "(function (binding, internals) { \"use strict\"; " + body + "\n})";
            return Source.newBuilder("js", wrapped, "nano:" + file).cached(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
