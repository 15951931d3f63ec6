package dev.nano.web.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-CTR, AES-CBC, AES-GCM and AES-KW (https://w3c.github.io/webcrypto/#aes-ctr and on). */
final class AesCiphers {

    private AesCiphers() {
    }

    private static SecretKeySpec key(byte[] secret) {
        return new SecretKeySpec(secret, "AES");
    }

    private static int mode(boolean encrypt) {
        return encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    }

    /**
     * https://w3c.github.io/webcrypto/#aes-ctr-operations: only the rightmost {@code length} bits
     * of the counter block count. The JDK's CTR counts with all 128, so where the counter would
     * wrap, the rest runs again from a counter whose low bits are zero.
     */
    static byte[] ctr(boolean encrypt, byte[] secret, byte[] counter, int length, byte[] data)
            throws GeneralSecurityException {
        if (counter.length != 16) {
            throw CryptoFailure.operation("the AES-CTR counter must be 16 bytes");
        }
        if (length < 1 || length > 128) {
            throw CryptoFailure.operation("the AES-CTR length must be between 1 and 128");
        }
        BigInteger space = BigInteger.ONE.shiftLeft(length);
        BigInteger blocks = BigInteger.valueOf((data.length + 15L) / 16);
        if (blocks.compareTo(space) > 0) {
            throw CryptoFailure.operation("the data is too long for the AES-CTR counter length");
        }
        BigInteger low = Octets.unsigned(counter).mod(space);
        BigInteger untilWrap = space.subtract(low);
        if (blocks.compareTo(untilWrap) <= 0) {
            return ctrPass(secret, counter, data, 0, data.length);
        }
        int first = untilWrap.intValueExact() * 16;
        BigInteger wrapped = Octets.unsigned(counter).subtract(low);
        byte[] head = ctrPass(secret, counter, data, 0, first);
        byte[] tail = ctrPass(secret, Octets.fixed(wrapped, 16), data, first, data.length - first);
        return Octets.concat(head, tail);
    }

    private static byte[] ctrPass(byte[] secret, byte[] counter, byte[] data, int offset, int length)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key(secret), new IvParameterSpec(counter));
        return cipher.doFinal(data, offset, length);
    }

    static byte[] cbc(boolean encrypt, byte[] secret, byte[] iv, byte[] data) throws GeneralSecurityException {
        if (iv.length != 16) {
            throw CryptoFailure.operation("the AES-CBC iv must be 16 bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(mode(encrypt), key(secret), new IvParameterSpec(iv));
        return cipher.doFinal(data);
    }

    /**
     * https://w3c.github.io/webcrypto/#aes-gcm-operations. The JDK's GCM takes tags of 96 to 128
     * bits; the spec also allows 32 and 64. A GCM tag cut short is the full tag's first bits,
     * so those encrypt with a full tag and cut it, and decrypt by recovering the plaintext
     * with the GCM keystream, then comparing the start of its recomputed tag.
     */
    static byte[] gcm(boolean encrypt, byte[] secret, byte[] iv, byte[] aad, int tagLength, byte[] data)
            throws GeneralSecurityException {
        switch (tagLength) {
            case 32, 64, 96, 104, 112, 120, 128 -> { }
            default -> throw CryptoFailure.operation("unsupported AES-GCM tagLength " + tagLength);
        }
        if (iv.length == 0) {
            throw CryptoFailure.operation("the AES-GCM iv must not be empty");
        }
        int tagBytes = tagLength / 8;
        if (encrypt) {
            int full = tagLength >= 96 ? tagLength : 128;
            byte[] sealed = gcmPass(Cipher.ENCRYPT_MODE, secret, iv, aad, full, data);
            return tagLength >= 96 ? sealed : Arrays.copyOf(sealed, data.length + tagBytes);
        }
        if (data.length < tagBytes) {
            throw CryptoFailure.operation("the AES-GCM data is shorter than its tag");
        }
        if (tagLength >= 96) {
            return gcmPass(Cipher.DECRYPT_MODE, secret, iv, aad, tagLength, data);
        }
        int textLength = data.length - tagBytes;
        byte[] keystream = gcmPass(Cipher.ENCRYPT_MODE, secret, iv, null, 128, new byte[textLength]);
        byte[] plain = new byte[textLength];
        for (int i = 0; i < textLength; i++) {
            plain[i] = (byte) (data[i] ^ keystream[i]);
        }
        byte[] resealed = gcmPass(Cipher.ENCRYPT_MODE, secret, iv, aad, 128, plain);
        byte[] expected = Arrays.copyOfRange(resealed, textLength, textLength + tagBytes);
        byte[] given = Arrays.copyOfRange(data, textLength, data.length);
        if (!MessageDigest.isEqual(expected, given)) {
            throw CryptoFailure.operation("the AES-GCM tag does not match");
        }
        return plain;
    }

    private static byte[] gcmPass(int mode, byte[] secret, byte[] iv, byte[] aad, int tagLength, byte[] data)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key(secret), new GCMParameterSpec(tagLength, iv));
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher.doFinal(data);
    }

    /** RFC 3394 key wrap (https://w3c.github.io/webcrypto/#aes-kw-operations). */
    static byte[] kw(boolean wrap, byte[] secret, byte[] data) throws GeneralSecurityException {
        if (wrap ? data.length % 8 != 0 || data.length < 16 : data.length % 8 != 0 || data.length < 24) {
            throw CryptoFailure.operation("AES-KW data must be a multiple of 8 bytes, at least 16 (24 wrapped)");
        }
        Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
        cipher.init(mode(wrap), key(secret));
        return cipher.doFinal(data);
    }
}
