package dev.nano.config;

/**
 * An env that NANO refuses: the message names the key and the reason, never the value, so it
 * is safe for logs, error bodies and the admin API.
 */
public final class InvalidEnvException extends Exception {

    private final String key;

    public InvalidEnvException(String key, String reason) {
        super(key == null ? reason : "key '" + shown(key) + "': " + reason);
        this.key = key;
    }

    private static String shown(String key) {
        return key.length() <= 128 ? key : key.substring(0, 128) + "...";
    }

    /** The offending key, or null when the problem is the env as a whole. */
    public String key() {
        return key;
    }
}
