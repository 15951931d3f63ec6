package dev.nano.isolate;

/** A request body went over {@code quarkus.http.limits.max-body-size} while it streamed in. */
public final class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
