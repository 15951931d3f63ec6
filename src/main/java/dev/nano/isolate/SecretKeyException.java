package dev.nano.isolate;

/** An env change tried to set or remove a key that the app's secret files own. */
public final class SecretKeyException extends RuntimeException {

    private final String key;

    SecretKeyException(String key) {
        super("key '" + key + "' comes from the app's secrets-dir: change the file instead");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
