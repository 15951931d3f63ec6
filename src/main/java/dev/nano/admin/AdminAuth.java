package dev.nano.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through to the admin routes only with {@code Authorization: Bearer <token>}.
 * Both tokens are hashed before the constant-time comparison, so neither the content nor the
 * length of the configured one shows in how long a wrong guess takes.
 */
final class AdminAuth implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final byte[] expectedDigest;

    AdminAuth(String token) {
        this.expectedDigest = digest(token);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
        if (bearer && MessageDigest.isEqual(expectedDigest, digest(header.substring(BEARER.length()).trim()))) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"nano-admin\"");
        AdminJson.error(ctx, 401, "unauthorized", header == null
                ? "the admin API needs an Authorization: Bearer <token> header"
                : "the bearer token is not the admin token");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
