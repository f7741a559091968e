package io.entrenar.alerting;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Entrenar-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} where the
 * MAC covers {@code "<t>." + body} under the channel's secret. Receivers recompute it and refuse a
 * timestamp older than their tolerance, so a captured request cannot be replayed later.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Entrenar-Signature";
    /** Default replay window a receiver should allow. */
    public static final long DEFAULT_TOLERANCE_SECONDS = 300;

    private WebhookSignature() {
    }

    public static String sign(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    /** Whether {@code header} is a valid signature of {@code body} made within the tolerance of {@code nowSeconds}. */
    public static boolean verify(String secret, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        long t = -1;
        byte[] given = null;
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                return false;
            }
            try {
                if (kv[0].equals("t")) {
                    t = Long.parseLong(kv[1]);
                } else if (kv[0].equals("v1")) {
                    given = HexFormat.of().parseHex(kv[1]);
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t < 0 || given == null || Math.abs(nowSeconds - t) > toleranceSeconds) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(secret, t, body));
    }

    private static byte[] mac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
