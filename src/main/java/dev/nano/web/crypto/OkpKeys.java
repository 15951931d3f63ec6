package dev.nano.web.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;

/** Ed25519 (RFC 8032) and X25519 (RFC 7748) over the JDK's EdDSA and XDH. */
final class OkpKeys {

    // The fixed DER around a 32-byte key (RFC 8410 sections 4 and 7, no optional fields).
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] X25519_SPKI = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final byte[] ED25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b656e04220420");

    private OkpKeys() {
    }

    private static boolean isEd(String name) {
        return switch (name) {
            case "Ed25519" -> true;
            case "X25519" -> false;
            default -> throw new CryptoFailure("NotSupportedError", "unsupported curve " + name);
        };
    }

    static KeyFactory factory(String name) throws GeneralSecurityException {
        return KeyFactory.getInstance(isEd(name) ? "Ed25519" : "X25519");
    }

    static KeyHandle generate(String name) throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(isEd(name) ? "Ed25519" : "X25519").generateKeyPair();
        return KeyHandle.ofPrivate(pair.getPrivate(), pair.getPublic());
    }

    static KeyHandle fromRaw(String name, byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw CryptoFailure.data(name + " public keys are 32 bytes");
        }
        return KeyHandle.ofPublic(publicFromRaw(name, raw));
    }

    private static PublicKey publicFromRaw(String name, byte[] raw) throws GeneralSecurityException {
        byte[] spki = Octets.concat(isEd(name) ? ED25519_SPKI : X25519_SPKI, raw);
        return factory(name).generatePublic(new X509EncodedKeySpec(spki));
    }

    static KeyHandle fromJwk(String name, String x, String d) throws GeneralSecurityException {
        byte[] xBytes = Octets.fromBase64url(x, "x");
        if (xBytes.length != 32) {
            throw CryptoFailure.data("the JWK's x must be 32 bytes");
        }
        PublicKey publicKey = publicFromRaw(name, xBytes);
        if (d == null) {
            return KeyHandle.ofPublic(publicKey);
        }
        byte[] dBytes = Octets.fromBase64url(d, "d");
        if (dBytes.length != 32) {
            throw CryptoFailure.data("the JWK's d must be 32 bytes");
        }
        PrivateKey privateKey = factory(name).generatePrivate(
                new PKCS8EncodedKeySpec(Octets.concat(isEd(name) ? ED25519_PKCS8 : X25519_PKCS8, dBytes)));
        KeyHandle handle = KeyHandle.ofPrivate(privateKey, null);
        if (!Arrays.equals(raw(KeyHandle.ofPublic(publicOf(name, handle))), xBytes)) {
            throw CryptoFailure.data("the JWK's d does not match its x");
        }
        handle.publicKey = publicKey;
        return handle;
    }

    /** The name of a JDK key's curve: Ed25519 or X25519 (anything else is a DataError). */
    static String curveOf(Key key) {
        if (key instanceof EdECKey ed
                && ed.getParams().getName().equalsIgnoreCase("Ed25519")) {
            return "Ed25519";
        }
        if (key instanceof XECKey xec && xec.getParams() instanceof NamedParameterSpec named
                && named.getName().equalsIgnoreCase("X25519")) {
            return "X25519";
        }
        throw CryptoFailure.data("unexpected key type " + key.getAlgorithm());
    }

    /** The 32 key bytes at the end of the SPKI encoding. */
    static byte[] raw(KeyHandle handle) {
        byte[] spki = handle.publicKey().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    static byte[] privateBytes(KeyHandle handle) {
        PrivateKey key = handle.privateKey();
        if (key instanceof EdECPrivateKey ed) {
            return ed.getBytes().orElseThrow(() -> CryptoFailure.operation("the key bytes are not available"));
        }
        return ((XECPrivateKey) key).getScalar()
                .orElseThrow(() -> CryptoFailure.operation("the key bytes are not available"));
    }

    /**
     * The public half of a private key imported alone. The JDK has no call for it; its key pair
     * generators take the private key straight from their random source (32 bytes), so one
     * that reads back the known private key gives the matching public key.
     */
    static PublicKey publicOf(String name, KeyHandle handle) throws GeneralSecurityException {
        if (handle.publicKey != null) {
            return handle.publicKey;
        }
        byte[] secret = privateBytes(handle);
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != secret.length) {
                    throw new IllegalStateException("unexpected key size");
                }
                System.arraycopy(secret, 0, bytes, 0, bytes.length);
            }
        };
        KeyPairGenerator generator = KeyPairGenerator.getInstance(name);
        generator.initialize(new NamedParameterSpec(name), replay);
        KeyPair pair = generator.generateKeyPair();
        if (!Arrays.equals(pair.getPrivate().getEncoded(), handle.key.getEncoded())) {
            throw CryptoFailure.operation("could not derive the public key");
        }
        handle.publicKey = pair.getPublic();
        return handle.publicKey;
    }

    static byte[] sign(KeyHandle handle, byte[] data) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(handle.privateKey());
        signature.update(data);
        return signature.sign();
    }

    static boolean verify(KeyHandle handle, byte[] signed, byte[] data) throws GeneralSecurityException {
        if (signed.length != 64) {
            return false;
        }
        return Signatures.verifies(Signature.getInstance("Ed25519"), handle.publicKey(), data, signed);
    }

    /** https://w3c.github.io/webcrypto/#x25519-operations: an all-zero secret is an OperationError. */
    static byte[] agree(KeyHandle privateKey, KeyHandle publicKey) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(privateKey.privateKey());
        agreement.doPhase(publicKey.publicKey(), true);
        byte[] secret = agreement.generateSecret();
        int bits = 0;
        for (byte b : secret) {
            bits |= b;
        }
        if (bits == 0) {
            throw CryptoFailure.operation("the X25519 shared secret is all zero");
        }
        return secret;
    }
}
