package io.entrenar.ops.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * What a service requires in {@code Authorization}: a user and password (HTTP basic), a bearer
 * token, or either. Compared in constant time, so a client cannot learn a secret byte by byte from
 * how long a refusal takes.
 */
public final class Credentials {
    private final byte[] basic;
    private final byte[] bearer;

    private Credentials(String user, String password, String token) {
        this.basic = user == null || user.isEmpty() ? null
                : ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
        this.bearer = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Basic {@code user:password} and/or a bearer token; null when neither is given. */
    public static Credentials of(String user, String password, String token) {
        boolean hasUser = user != null && !user.isEmpty();
        boolean hasToken = token != null && !token.isEmpty();
        return hasUser || hasToken ? new Credentials(user, password == null ? "" : password, token) : null;
    }

    boolean accept(String authorization) {
        if (authorization == null) {
            return false;
        }
        byte[] given = authorization.strip().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        // both compared whatever the first said: the time does not tell which scheme is configured
        if (basic != null) {
            ok |= MessageDigest.isEqual(given, basic);
        }
        if (bearer != null) {
            ok |= MessageDigest.isEqual(given, bearer);
        }
        return ok;
    }
}
