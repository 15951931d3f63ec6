package dev.nano.web.crypto;

import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The key material behind one CryptoKey. The prelude keeps it in a private field of the
 * CryptoKey and hands it back to {@link SubtleOps}; it exports nothing, so even a script that
 * got hold of it could not read the key through it.
 */
public final class KeyHandle {

    /** Raw bytes of a secret key (AES, HMAC, HKDF, PBKDF2); null for asymmetric keys. */
    final byte[] secret;
    /** The JCA key of an asymmetric key; null for secret keys. */
    final Key key;
    /** For a private key, its public half when known (generated or imported with it). */
    PublicKey publicKey;

    private KeyHandle(byte[] secret, Key key) {
        this.secret = secret;
        this.key = key;
    }

    static KeyHandle ofSecret(byte[] secret) {
        return new KeyHandle(secret, null);
    }

    static KeyHandle ofPublic(PublicKey key) {
        return new KeyHandle(null, key);
    }

    static KeyHandle ofPrivate(PrivateKey key, PublicKey publicKey) {
        KeyHandle handle = new KeyHandle(null, key);
        handle.publicKey = publicKey;
        return handle;
    }

    byte[] secret() {
        if (secret == null) {
            throw new CryptoFailure("InvalidAccessError", "the key is not a secret key");
        }
        return secret;
    }

    PrivateKey privateKey() {
        if (!(key instanceof PrivateKey privateKey)) {
            throw new CryptoFailure("InvalidAccessError", "the key is not a private key");
        }
        return privateKey;
    }

    PublicKey publicKey() {
        if (!(key instanceof PublicKey pub)) {
            throw new CryptoFailure("InvalidAccessError", "the key is not a public key");
        }
        return pub;
    }
}
