package dev.nano.lifecycle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads sending one request after another until stopped, for swaps under load: each
 * answer must be 200 with one of the bodies the old or the new version gives; anything else is
 * a failure, kept with what it was.
 */
final class ContinuousLoad implements AutoCloseable {

    interface Request {
        RawHttp.Answer send() throws IOException;
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger servedNew = new AtomicInteger();
    private final ExecutorService clients;
    private final List<Future<?>> loops = new ArrayList<>();

    ContinuousLoad(int threads, Request request, String oldBody, String newBody) {
        clients = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    try {
                        RawHttp.Answer answer = request.send();
                        if (answer.status() != 200) {
                            failures.add(answer.status() + " " + answer.body());
                        } else if (answer.body().equals(newBody)) {
                            servedNew.incrementAndGet();
                        } else if (oldBody != null && !answer.body().equals(oldBody)) {
                            failures.add("unexpected body " + answer.body());
                        }
                        served.incrementAndGet();
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
    }

    /** Answers the new version gave so far. */
    int servedNew() {
        return servedNew.get();
    }

    /** Stops the clients and waits for their last answers. */
    @Override
    public void close() throws Exception {
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();
    }

    /** Null when every answer was right, else how many of how many failed and how. */
    String failures() {
        return failures.isEmpty() ? null : failures.size() + " of " + served.get() + " failed: " + failures;
    }
}
