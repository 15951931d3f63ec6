package dev.nano.web.crypto;

/**
 * A failed crypto operation, named as the DOMException the Web Crypto spec asks for
 * ({@code DataError}, {@code OperationError}, ...). {@link SubtleOps} turns it into a failure
 * the prelude rejects the promise with; it never reaches app code as a Java object.
 */
final class CryptoFailure extends RuntimeException {

    final String name;

    CryptoFailure(String name, String message) {
        super(message, null, false, false);
        this.name = name;
    }

    static CryptoFailure data(String message) {
        return new CryptoFailure("DataError", message);
    }

    static CryptoFailure operation(String message) {
        return new CryptoFailure("OperationError", message);
    }
}
