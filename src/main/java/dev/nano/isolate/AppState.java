package dev.nano.isolate;

/** Where an app is in its life. Only ACTIVE apps run requests. */
public enum AppState {
    LOADING,
    ACTIVE,
    DRAINING,
    STOPPED,
    FAILED
}
