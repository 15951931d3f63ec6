package dev.nano.web.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP keys and operations over the JDK's SunRsaSign/SunJCE. */
final class RsaKeys {

    private RsaKeys() {
    }

    /**
     * Heavy: a 2048-bit key takes tens of milliseconds, 4096 bits up to seconds of CPU. This is
     * one of the calls to move off the event loop once {@code slot.post} exists.
     */
    static KeyHandle generate(long modulusLength, byte[] publicExponent) throws GeneralSecurityException {
        BigInteger exponent = Octets.unsigned(publicExponent);
        if (exponent.compareTo(BigInteger.valueOf(3)) < 0 || !exponent.testBit(0)) {
            throw CryptoFailure.operation("the RSA public exponent must be odd and at least 3");
        }
        // Up to 4096 bits: larger keys take from seconds to minutes to find, and the watchdog
        // cannot interrupt the JDK's search (Chrome allows 16384).
        if (modulusLength < 512 || modulusLength > 4096) {
            throw CryptoFailure.operation("unsupported RSA modulusLength " + modulusLength);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec((int) modulusLength, exponent));
        KeyPair pair = generator.generateKeyPair();
        return KeyHandle.ofPrivate(pair.getPrivate(), pair.getPublic());
    }

    static KeyFactory factory() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA");
    }

    static KeyHandle fromJwk(String n, String e, String d, String p, String q, String dp, String dq, String qi)
            throws GeneralSecurityException {
        BigInteger modulus = Octets.unsigned(Octets.fromBase64url(n, "n"));
        BigInteger exponent = Octets.unsigned(Octets.fromBase64url(e, "e"));
        PublicKey publicKey = factory().generatePublic(new RSAPublicKeySpec(modulus, exponent));
        if (d == null) {
            return KeyHandle.ofPublic(publicKey);
        }
        RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(modulus, exponent,
                Octets.unsigned(Octets.fromBase64url(d, "d")), Octets.unsigned(Octets.fromBase64url(p, "p")),
                Octets.unsigned(Octets.fromBase64url(q, "q")), Octets.unsigned(Octets.fromBase64url(dp, "dp")),
                Octets.unsigned(Octets.fromBase64url(dq, "dq")), Octets.unsigned(Octets.fromBase64url(qi, "qi")));
        if (!spec.getPrimeP().multiply(spec.getPrimeQ()).equals(modulus)) {
            throw CryptoFailure.data("the JWK's p and q do not make its n");
        }
        return KeyHandle.ofPrivate(factory().generatePrivate(spec), publicKey);
    }

    /** https://www.rfc-editor.org/rfc/rfc7518#section-6.3 members of an RSA key. */
    static byte[] jwkMember(KeyHandle handle, String member) {
        if (handle.key instanceof RSAPublicKey pub) {
            return switch (member) {
                case "n" -> Octets.minimal(pub.getModulus());
                case "e" -> Octets.minimal(pub.getPublicExponent());
                default -> null;
            };
        }
        if (handle.key instanceof RSAPrivateCrtKey key) {
            return Octets.minimal(switch (member) {
                case "n" -> key.getModulus();
                case "e" -> key.getPublicExponent();
                case "d" -> key.getPrivateExponent();
                case "p" -> key.getPrimeP();
                case "q" -> key.getPrimeQ();
                case "dp" -> key.getPrimeExponentP();
                case "dq" -> key.getPrimeExponentQ();
                case "qi" -> key.getCrtCoefficient();
                default -> BigInteger.ZERO;
            });
        }
        throw CryptoFailure.operation("the RSA key has no CRT parameters");
    }

    static int modulusLength(KeyHandle handle) {
        return ((RSAKey) handle.key).getModulus().bitLength();
    }

    static byte[] publicExponent(KeyHandle handle) {
        if (handle.key instanceof RSAPublicKey pub) {
            return Octets.minimal(pub.getPublicExponent());
        }
        if (handle.key instanceof RSAPrivateCrtKey key) {
            return Octets.minimal(key.getPublicExponent());
        }
        throw CryptoFailure.data("the RSA private key has no public exponent");
    }

    /** The public half of a private key: from the CRT parameters when it was not kept. */
    static PublicKey publicOf(KeyHandle handle) throws GeneralSecurityException {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) handle.key;
        return factory().generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    }

    private static Signature signature(String algorithm, String hash, int saltLength) throws GeneralSecurityException {
        if (algorithm.equals("RSA-PSS")) {
            Signature signature = Signature.getInstance("RSASSA-PSS");
            signature.setParameter(new PSSParameterSpec(Hashes.check(hash), "MGF1",
                    new MGF1ParameterSpec(hash), saltLength, PSSParameterSpec.TRAILER_FIELD_BC));
            return signature;
        }
        return Signature.getInstance(Hashes.compact(hash) + "withRSA");
    }

    static byte[] sign(String algorithm, KeyHandle handle, String hash, int saltLength, byte[] data)
            throws GeneralSecurityException {
        Signature signature = signature(algorithm, hash, saltLength);
        signature.initSign(handle.privateKey());
        signature.update(data);
        return signature.sign();
    }

    static boolean verify(String algorithm, KeyHandle handle, String hash, int saltLength, byte[] signed, byte[] data)
            throws GeneralSecurityException {
        return Signatures.verifies(signature(algorithm, hash, saltLength), handle.publicKey(), data, signed);
    }

    static byte[] oaep(boolean encrypt, KeyHandle handle, String hash, byte[] label, byte[] data)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        OAEPParameterSpec spec = new OAEPParameterSpec(Hashes.check(hash), "MGF1", new MGF1ParameterSpec(hash),
                new PSource.PSpecified(label == null ? new byte[0] : label));
        cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                encrypt ? handle.publicKey() : handle.privateKey(), spec);
        return cipher.doFinal(data);
    }
}
