package dev.nano.web.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/** ECDSA and ECDH on P-256, P-384 and P-521 over the JDK's SunEC. */
final class EcKeys {

    private EcKeys() {
    }

    static String jcaCurve(String namedCurve) {
        return switch (namedCurve) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new CryptoFailure("NotSupportedError", "unsupported namedCurve " + namedCurve);
        };
    }

    static ECParameterSpec params(String namedCurve) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(jcaCurve(namedCurve)));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    /** The Web Crypto name of a JDK key's curve, or a DataError for any other curve. */
    static String curveOf(ECKey key) throws GeneralSecurityException {
        ECParameterSpec spec = key.getParams();
        for (String name : new String[] {"P-256", "P-384", "P-521"}) {
            ECParameterSpec known = params(name);
            if (known.getOrder().equals(spec.getOrder()) && known.getCurve().equals(spec.getCurve())
                    && known.getGenerator().equals(spec.getGenerator())) {
                return name;
            }
        }
        throw CryptoFailure.data("the EC key is not on P-256, P-384 or P-521");
    }

    private static int fieldBytes(ECParameterSpec spec) {
        return (spec.getCurve().getField().getFieldSize() + 7) / 8;
    }

    static KeyFactory factory() throws GeneralSecurityException {
        return KeyFactory.getInstance("EC");
    }

    static KeyHandle generate(String namedCurve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(jcaCurve(namedCurve)));
        KeyPair pair = generator.generateKeyPair();
        return KeyHandle.ofPrivate(pair.getPrivate(), pair.getPublic());
    }

    /** SEC 1 section 2.3.3: only the uncompressed form (0x04 || x || y); compressed points are optional in the spec. */
    static KeyHandle fromRaw(String namedCurve, byte[] raw) throws GeneralSecurityException {
        ECParameterSpec spec = params(namedCurve);
        int size = fieldBytes(spec);
        if (raw.length != 1 + 2 * size || raw[0] != 4) {
            throw CryptoFailure.data("not an uncompressed " + namedCurve + " point");
        }
        BigInteger x = Octets.unsigned(Arrays.copyOfRange(raw, 1, 1 + size));
        BigInteger y = Octets.unsigned(Arrays.copyOfRange(raw, 1 + size, raw.length));
        return KeyHandle.ofPublic(publicKey(spec, x, y));
    }

    private static PublicKey publicKey(ECParameterSpec spec, BigInteger x, BigInteger y)
            throws GeneralSecurityException {
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger a = spec.getCurve().getA();
        BigInteger b = spec.getCurve().getB();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0
                || y.multiply(y).subtract(x.pow(3)).subtract(a.multiply(x)).subtract(b).mod(p).signum() != 0) {
            throw CryptoFailure.data("the point is not on the curve");
        }
        return factory().generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
    }

    static KeyHandle fromJwk(String namedCurve, String x, String y, String d) throws GeneralSecurityException {
        ECParameterSpec spec = params(namedCurve);
        int size = fieldBytes(spec);
        byte[] xBytes = Octets.fromBase64url(x, "x");
        byte[] yBytes = Octets.fromBase64url(y, "y");
        if (xBytes.length != size || yBytes.length != size) {
            throw CryptoFailure.data("the JWK's x and y must be " + size + " bytes");
        }
        PublicKey publicKey = publicKey(spec, Octets.unsigned(xBytes), Octets.unsigned(yBytes));
        if (d == null) {
            return KeyHandle.ofPublic(publicKey);
        }
        byte[] dBytes = Octets.fromBase64url(d, "d");
        BigInteger scalar = Octets.unsigned(dBytes);
        if (dBytes.length != size || scalar.signum() == 0 || scalar.compareTo(spec.getOrder()) >= 0) {
            throw CryptoFailure.data("the JWK's d is not a private key of " + namedCurve);
        }
        ECPoint derived = multiply(spec, scalar);
        if (!derived.getAffineX().equals(Octets.unsigned(xBytes))
                || !derived.getAffineY().equals(Octets.unsigned(yBytes))) {
            throw CryptoFailure.data("the JWK's d does not match its x and y");
        }
        return KeyHandle.ofPrivate(factory().generatePrivate(new ECPrivateKeySpec(scalar, spec)), publicKey);
    }

    /** The public point of a key; for a private key imported alone, d times the generator. */
    private static ECPoint point(KeyHandle handle) throws GeneralSecurityException {
        if (handle.key instanceof ECPublicKey pub) {
            return pub.getW();
        }
        if (handle.publicKey == null) {
            ECPrivateKey key = (ECPrivateKey) handle.key;
            ECPoint w = multiply(key.getParams(), key.getS());
            handle.publicKey = factory().generatePublic(new ECPublicKeySpec(w, key.getParams()));
        }
        return ((ECPublicKey) handle.publicKey).getW();
    }

    static PublicKey publicOf(KeyHandle handle) throws GeneralSecurityException {
        point(handle);
        return handle.publicKey;
    }

    static byte[] raw(KeyHandle handle) throws GeneralSecurityException {
        ECPoint w = point(handle);
        int size = fieldBytes(((ECKey) handle.key).getParams());
        byte[] out = new byte[1 + 2 * size];
        out[0] = 4;
        System.arraycopy(Octets.fixed(w.getAffineX(), size), 0, out, 1, size);
        System.arraycopy(Octets.fixed(w.getAffineY(), size), 0, out, 1 + size, size);
        return out;
    }

    /** https://www.rfc-editor.org/rfc/rfc7518#section-6.2: coordinates and d at the field's size. */
    static byte[] jwkMember(KeyHandle handle, String member) throws GeneralSecurityException {
        int size = fieldBytes(((ECKey) handle.key).getParams());
        return switch (member) {
            case "x" -> Octets.fixed(point(handle).getAffineX(), size);
            case "y" -> Octets.fixed(point(handle).getAffineY(), size);
            case "d" -> Octets.fixed(((ECPrivateKey) handle.privateKey()).getS(), size);
            default -> null;
        };
    }

    /** ECDSA in IEEE P1363 form (r || s), which Web Crypto uses; the JDK converts from DER itself. */
    private static Signature ecdsa(String hash) throws GeneralSecurityException {
        return Signature.getInstance(Hashes.compact(hash) + "withECDSAinP1363Format");
    }

    static byte[] sign(KeyHandle handle, String hash, byte[] data) throws GeneralSecurityException {
        Signature signature = ecdsa(hash);
        signature.initSign(handle.privateKey());
        signature.update(data);
        return signature.sign();
    }

    static boolean verify(KeyHandle handle, String hash, byte[] signed, byte[] data) throws GeneralSecurityException {
        PublicKey key = handle.publicKey();
        if (signed.length != 2 * ((((ECKey) key).getParams().getOrder().bitLength() + 7) / 8)) {
            return false;
        }
        return Signatures.verifies(ecdsa(hash), key, data, signed);
    }

    static byte[] agree(KeyHandle privateKey, KeyHandle publicKey) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(privateKey.privateKey());
        agreement.doPhase(publicKey.publicKey(), true);
        return agreement.generateSecret();
    }

    /**
     * k times the generator in affine coordinates. Only for the public half of a private key
     * imported without it (PKCS #8), which JWK export needs; not constant-time, and it only ever
     * computes a public value.
     */
    static ECPoint multiply(ECParameterSpec spec, BigInteger k) {
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger a = spec.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = spec.getGenerator();
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint s, ECPoint t, BigInteger p, BigInteger a) {
        if (s.equals(ECPoint.POINT_INFINITY)) {
            return t;
        }
        if (t.equals(ECPoint.POINT_INFINITY)) {
            return s;
        }
        BigInteger lambda;
        if (s.getAffineX().equals(t.getAffineX())) {
            if (!s.getAffineY().equals(t.getAffineY()) || s.getAffineY().signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger x = s.getAffineX();
            lambda = x.multiply(x).multiply(BigInteger.valueOf(3)).add(a)
                    .multiply(s.getAffineY().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = t.getAffineY().subtract(s.getAffineY())
                    .multiply(t.getAffineX().subtract(s.getAffineX()).modInverse(p)).mod(p);
        }
        BigInteger x = lambda.multiply(lambda).subtract(s.getAffineX()).subtract(t.getAffineX()).mod(p);
        BigInteger y = lambda.multiply(s.getAffineX().subtract(x)).subtract(s.getAffineY()).mod(p);
        return new ECPoint(x, y);
    }
}
