package dev.nano.isolate;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/** A synthetic {@code GET} with no body, sent through an app's handler before it goes ACTIVE. */
final class WarmupExchange implements Exchange {

    private final String url;
    private final String path;
    private final String host;
    private int lastStatus;

    WarmupExchange(String host, String path) {
        this.host = host;
        this.path = path;
        this.url = "http://" + host + path;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> headerList() {
        return List.of("host", host, "user-agent", "nano-warmup");
    }

    @Override
    public void readBody(Consumer<Buffer> onBody, Consumer<Throwable> onError) {
        onBody.accept(Buffer.buffer());
    }

    @Override
    public Multi<Buffer> body() {
        return Multi.createFrom().empty();
    }

    /** Warm-up reads nothing of a streamed body: its stream is cancelled, as for a HEAD request. */
    @Override
    public BodySink respondStreaming(int status, String statusText, ResponseHeaders headers) {
        lastStatus = status;
        return null;
    }

    @Override
    public void respond(int status, String statusText, ResponseHeaders headers, Buffer body) {
        lastStatus = status;
    }

    @Override
    public void respondError(int status, JsonObject body) {
        lastStatus = status;
    }

    @Override
    public boolean isSynthetic() {
        return true;
    }

    int lastStatus() {
        return lastStatus;
    }
}
