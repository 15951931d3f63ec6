package dev.nano.web.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA digests and everything built on HMAC: HMAC sign/verify, PBKDF2 and HKDF. */
final class Hashes {

    private Hashes() {
    }

    /** The recognized hash names of https://w3c.github.io/webcrypto/#alg-sha (already normalized). */
    static String check(String hash) {
        return switch (hash) {
            case "SHA-1", "SHA-256", "SHA-384", "SHA-512" -> hash;
            default -> throw new CryptoFailure("NotSupportedError", "unsupported hash " + hash);
        };
    }

    /** The JCA spelling used in Mac and Signature names: SHA-256 -> SHA256. */
    static String compact(String hash) {
        return check(hash).replace("-", "");
    }

    static int length(String hash) {
        return switch (check(hash)) {
            case "SHA-1" -> 20;
            case "SHA-256" -> 32;
            case "SHA-384" -> 48;
            default -> 64;
        };
    }

    static byte[] digest(String hash, byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance(check(hash)).digest(data);
    }

    static Mac mac(String hash, byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("Hmac" + compact(hash));
        // SecretKeySpec refuses an empty key; HMAC zero-pads every key shorter than a block
        // (RFC 2104 section 2), so the empty key and a single zero byte give the same MAC.
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, mac.getAlgorithm()));
        return mac;
    }

    static byte[] hmac(String hash, byte[] key, byte[] data) throws GeneralSecurityException {
        return mac(hash, key).doFinal(data);
    }

    /**
     * RFC 8018 section 5.2 over the JDK's HMAC. Not PBKDF2WithHmacSHA*: that takes the password
     * as chars, and Web Crypto passwords are arbitrary bytes (RFC 6070 has one with a NUL).
     * Gives up at {@code deadline} (System.nanoTime()): see {@link SubtleOps#SubtleOps(long)}.
     */
    static byte[] pbkdf2(String hash, byte[] password, byte[] salt, long iterations, int bytes, long deadline)
            throws GeneralSecurityException {
        Mac mac = mac(hash, password);
        int hLen = mac.getMacLength();
        byte[] out = new byte[bytes];
        byte[] u = new byte[hLen];
        byte[] t = new byte[hLen];
        for (int block = 1, offset = 0; offset < bytes; block++, offset += hLen) {
            mac.update(salt);
            mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            mac.doFinal(u, 0);
            System.arraycopy(u, 0, t, 0, hLen);
            for (long i = 1; i < iterations; i++) {
                if ((i & 0x3ff) == 0 && System.nanoTime() - deadline > 0) {
                    throw CryptoFailure.operation("PBKDF2 ran longer than the app's cpu-limit");
                }
                mac.update(u);
                mac.doFinal(u, 0);
                for (int j = 0; j < hLen; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, out, offset, Math.min(hLen, bytes - offset));
        }
        return out;
    }

    /** RFC 5869: extract then expand. */
    static byte[] hkdf(String hash, byte[] ikm, byte[] salt, byte[] info, int bytes) throws GeneralSecurityException {
        int hLen = length(hash);
        if (bytes > 255 * hLen) {
            throw CryptoFailure.operation("HKDF cannot derive more than 255 hash lengths");
        }
        byte[] prk = hmac(hash, salt, ikm);
        Mac mac = mac(hash, prk);
        byte[] out = new byte[bytes];
        byte[] t = new byte[0];
        for (int block = 1, offset = 0; offset < bytes; block++, offset += hLen) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) block);
            t = mac.doFinal();
            System.arraycopy(t, 0, out, offset, Math.min(hLen, bytes - offset));
        }
        Arrays.fill(prk, (byte) 0);
        return out;
    }
}
