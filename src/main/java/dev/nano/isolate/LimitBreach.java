package dev.nano.isolate;

/** Why the watchdog interrupted a slice of JavaScript. */
public enum LimitBreach {
    CPU("cpu", "the app's JavaScript ran longer than its cpu-limit"),
    MEMORY("memory", "the app's JavaScript allocated more than its memory-limit");

    public final String tag;
    public final String message;

    LimitBreach(String tag, String message) {
        this.tag = tag;
        this.message = message;
    }
}
