package dev.nano.isolate;

/**
 * Work a request (or an app's top-level code) started and owns: a timer, an outbound fetch, a
 * stream. When its owner closes, whatever it still owns is cancelled, so nothing fires into a
 * request that is over or a context that is closing.
 */
public interface Cancellable {

    /** Stops the work for good; called once, on the owning slot's event loop. */
    void cancel();
}
