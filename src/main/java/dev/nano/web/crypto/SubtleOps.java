package dev.nano.web.crypto;

import dev.nano.isolate.IsolateSlot;
import dev.nano.isolate.RequestScope;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Host side of {@code crypto} and {@code crypto.subtle} (70_crypto.js). The prelude owns the
 * object model (CryptoKey, algorithm normalization, usages, JWK members); this class owns the
 * key material and the JCA calls.
 *
 * <p>Failures: every method returns null when the operation fails and keeps the DOMException
 * name and message for {@link #failureName()} / {@link #failureMessage()}, which the prelude
 * reads to reject the promise. (A Java exception would reach JS as a host object it cannot
 * inspect.) One instance per context, entered by one thread at a time, so the fields are safe.
 *
 * <p>Byte arguments are JS ArrayBuffers the prelude copied from the caller's BufferSource at
 * call time, as the spec's "get a copy of the bytes held by" asks.
 *
 * <p>Concurrency and the event loop: RSA key generation (tens of ms to seconds) runs on a small
 * worker pool and calls back through {@code slot.post}, as a task of the request that asked.
 * Everything else runs on the loop: {@link #pbkdf2} gives up at the app's cpu-limit, and RSA
 * private-key operations with 4096-bit keys take a few ms.
 */
public final class SubtleOps {

    /** Thread-safe, and one per process is enough: contexts are many, entropy is shared anyway. */
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Where RSA keys are generated: two daemon threads for the process, so tenants generating
     * keys queue behind each other instead of taking every core.
     */
    private static final ExecutorService KEY_GENERATION = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().name("nano-crypto-", 0).daemon().factory());

    private final IsolateSlot slot;
    private final long cpuLimitNanos;
    private String failureName;
    private String failureMessage;

    /**
     * @param cpuLimitNanos the app's cpu-limit. The watchdog cannot interrupt Java code, so a
     *     loop here that could outlast it (PBKDF2's iterations are the app's to choose) gives up
     *     with an OperationError once it has run that long; the watchdog then stops the slice.
     */
    public SubtleOps(IsolateSlot slot, long cpuLimitNanos) {
        this.slot = slot;
        this.cpuLimitNanos = cpuLimitNanos;
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws Exception;
    }

    /** Runs an operation; on failure records the DOMException name (others map to {@code otherwise}). */
    private <T> T guard(String otherwise, Operation<T> operation) {
        failureName = null;
        failureMessage = null;
        try {
            return operation.run();
        } catch (CryptoFailure e) {
            failureName = e.name;
            failureMessage = e.getMessage();
        } catch (GeneralSecurityException | RuntimeException e) {
            failureName = otherwise;
            failureMessage = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (Exception e) {
            failureName = "OperationError";
            failureMessage = String.valueOf(e.getMessage());
        }
        return null;
    }

    /** Most bytes a derivation or generated secret may have: a tenant must not allocate the heap away. */
    private static final int MAX_OUTPUT_BYTES = 1 << 20;

    /** Numbers arrive as JS doubles (WebIDL unsigned long goes past int); they are whole already. */
    private static int outputLength(double bytes) {
        if (!(bytes >= 0 && bytes <= MAX_OUTPUT_BYTES)) {
            throw CryptoFailure.operation("NANO derives and generates at most " + MAX_OUTPUT_BYTES + " bytes at once");
        }
        return (int) bytes;
    }

    private static int saltLength(double saltLength) {
        if (!(saltLength >= 0 && saltLength <= 1 << 16)) {
            throw CryptoFailure.operation("the saltLength is longer than any RSA-PSS key allows");
        }
        return (int) saltLength;
    }

    private static ByteBuffer bytes(byte[] value) {
        return ByteBuffer.wrap(value);
    }

    @HostAccess.Export
    public String failureName() {
        return failureName == null ? "OperationError" : failureName;
    }

    @HostAccess.Export
    public String failureMessage() {
        return failureMessage == null ? "the operation failed" : failureMessage;
    }

    /** For getRandomValues and randomUUID: the prelude checks the 65536-byte quota first. */
    @HostAccess.Export
    public ByteBuffer randomBytes(int length) {
        byte[] out = new byte[Math.max(0, Math.min(length, 65536))];
        RANDOM.nextBytes(out);
        return bytes(out);
    }

    @HostAccess.Export
    public ByteBuffer digest(String hash, Value data) {
        return guard("OperationError", () -> bytes(Hashes.digest(hash, Octets.of(data))));
    }

    // ---- Keys: generate and import

    @HostAccess.Export
    public KeyHandle generateSecret(double bytes) {
        return guard("OperationError", () -> {
            byte[] secret = new byte[outputLength(bytes)];
            RANDOM.nextBytes(secret);
            return KeyHandle.ofSecret(secret);
        });
    }

    @HostAccess.Export
    public KeyHandle importSecret(Value data) {
        return guard("DataError", () -> KeyHandle.ofSecret(Octets.of(data)));
    }

    @HostAccess.Export
    public KeyHandle importSecretJwk(String k) {
        return guard("DataError", () -> KeyHandle.ofSecret(Octets.fromBase64url(k, "k")));
    }

    /** family EC (curve) or OKP (curve = Ed25519 / X25519); RSA is {@link #generateRsaKeyPair}. */
    @HostAccess.Export
    public KeyHandle generateKeyPair(String family, String curve) {
        return guard("OperationError", () -> "EC".equals(family) ? EcKeys.generate(curve) : OkpKeys.generate(curve));
    }

    /**
     * Generates an RSA key pair off the event loop; {@code done} is called later, as a task of
     * the request that asked, with the private key's handle, or null with the failure recorded.
     */
    @HostAccess.Export
    public void generateRsaKeyPair(double modulusLength, Value publicExponent, Value done) {
        byte[] exponent = Octets.of(publicExponent); // copied on the loop, where the buffer may be read
        RequestScope owner = slot.current();
        KEY_GENERATION.execute(() -> {
            String[] failure = new String[2];
            KeyHandle generated = null;
            try {
                generated = RsaKeys.generate((long) modulusLength, exponent);
            } catch (CryptoFailure e) {
                failure[0] = e.name;
                failure[1] = e.getMessage();
            } catch (GeneralSecurityException | RuntimeException e) {
                failure[0] = "OperationError";
                failure[1] = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            KeyHandle result = generated;
            slot.post(owner, () -> {
                failureName = failure[0];
                failureMessage = failure[1];
                done.executeVoid(result);
            });
        });
    }

    /** The public CryptoKey's handle of a private key (generated pairs, JWK export). */
    @HostAccess.Export
    public KeyHandle publicOf(KeyHandle handle) {
        return guard("OperationError", () -> KeyHandle.ofPublic(publicKey(handle)));
    }

    private static PublicKey publicKey(KeyHandle handle) throws GeneralSecurityException {
        if (handle.key instanceof PublicKey pub) {
            return pub;
        }
        if (handle.publicKey != null) {
            return handle.publicKey;
        }
        if (handle.key instanceof RSAKey) {
            handle.publicKey = RsaKeys.publicOf(handle);
            return handle.publicKey;
        }
        if (handle.key instanceof ECKey) {
            return EcKeys.publicOf(handle);
        }
        return OkpKeys.publicOf(OkpKeys.curveOf(handle.key), handle);
    }

    private static KeyFactory factory(String family) throws GeneralSecurityException {
        return switch (family) {
            case "RSA" -> RsaKeys.factory();
            case "EC" -> EcKeys.factory();
            default -> OkpKeys.factory(family);
        };
    }

    /** family RSA, EC, Ed25519 or X25519; a key of any other type is a DataError. */
    @HostAccess.Export
    public KeyHandle importSpki(String family, Value data) {
        return guard("DataError", () -> {
            PublicKey key = factory(family).generatePublic(new X509EncodedKeySpec(Octets.of(data)));
            return KeyHandle.ofPublic(key);
        });
    }

    @HostAccess.Export
    public KeyHandle importPkcs8(String family, Value data) {
        return guard("DataError", () -> {
            PrivateKey key = factory(family).generatePrivate(new PKCS8EncodedKeySpec(Octets.of(data)));
            return KeyHandle.ofPrivate(key, null);
        });
    }

    /** A raw public key: an uncompressed EC point (family EC) or 32 Ed25519 / X25519 bytes. */
    @HostAccess.Export
    public KeyHandle importRaw(String family, String curve, Value data) {
        return guard("DataError", () -> family.equals("EC")
                ? EcKeys.fromRaw(curve, Octets.of(data))
                : OkpKeys.fromRaw(curve, Octets.of(data)));
    }

    @HostAccess.Export
    public KeyHandle importRsaJwk(String n, String e, String d, String p, String q, String dp, String dq, String qi) {
        return guard("DataError", () -> RsaKeys.fromJwk(n, e, d, p, q, dp, dq, qi));
    }

    @HostAccess.Export
    public KeyHandle importEcJwk(String curve, String x, String y, String d) {
        return guard("DataError", () -> EcKeys.fromJwk(curve, x, y, d));
    }

    @HostAccess.Export
    public KeyHandle importOkpJwk(String curve, String x, String d) {
        return guard("DataError", () -> OkpKeys.fromJwk(curve, x, d));
    }

    // ---- What the prelude needs to know about an imported key

    @HostAccess.Export
    public Integer secretBits(KeyHandle handle) {
        return guard("DataError", () -> handle.secret().length * 8);
    }

    @HostAccess.Export
    public Integer modulusLength(KeyHandle handle) {
        return guard("DataError", () -> RsaKeys.modulusLength(handle));
    }

    @HostAccess.Export
    public ByteBuffer publicExponent(KeyHandle handle) {
        return guard("DataError", () -> bytes(RsaKeys.publicExponent(handle)));
    }

    /** P-256 / P-384 / P-521 for EC keys, Ed25519 / X25519 for the others. */
    @HostAccess.Export
    public String namedCurve(KeyHandle handle) {
        return guard("DataError",
                () -> handle.key instanceof ECKey ec ? EcKeys.curveOf(ec) : OkpKeys.curveOf(handle.key));
    }

    // ---- Export

    @HostAccess.Export
    public ByteBuffer exportSecret(KeyHandle handle) {
        return guard("OperationError", () -> bytes(handle.secret().clone()));
    }

    @HostAccess.Export
    public ByteBuffer exportRaw(KeyHandle handle) {
        return guard("OperationError",
                () -> bytes(handle.key instanceof ECKey ? EcKeys.raw(handle) : OkpKeys.raw(handle)));
    }

    @HostAccess.Export
    public ByteBuffer exportSpki(KeyHandle handle) {
        return guard("OperationError", () -> bytes(handle.publicKey().getEncoded()));
    }

    @HostAccess.Export
    public ByteBuffer exportPkcs8(KeyHandle handle) {
        return guard("OperationError", () -> bytes(handle.privateKey().getEncoded()));
    }

    /** One base64url JWK member (k; n, e, d, p, q, dp, dq, qi; x, y, d); null when the key has none. */
    @HostAccess.Export
    public String jwkMember(KeyHandle handle, String member) {
        return guard("OperationError", () -> {
            Key key = handle.key;
            byte[] value;
            if (handle.secret != null) {
                value = member.equals("k") ? handle.secret : null;
            } else if (key instanceof RSAKey) {
                value = RsaKeys.jwkMember(handle, member);
            } else if (key instanceof ECKey) {
                value = EcKeys.jwkMember(handle, member);
            } else if (member.equals("x")) {
                value = OkpKeys.raw(KeyHandle.ofPublic(publicKey(handle)));
            } else {
                value = member.equals("d") ? OkpKeys.privateBytes(handle) : null;
            }
            if (value == null) {
                throw CryptoFailure.operation("the key has no JWK member " + member);
            }
            return Octets.base64url(value);
        });
    }

    // ---- Operations

    @HostAccess.Export
    public ByteBuffer aesCtr(boolean encrypt, KeyHandle handle, Value counter, int length, Value data) {
        return guard("OperationError",
                () -> bytes(AesCiphers.ctr(encrypt, handle.secret(), Octets.of(counter), length, Octets.of(data))));
    }

    @HostAccess.Export
    public ByteBuffer aesCbc(boolean encrypt, KeyHandle handle, Value iv, Value data) {
        return guard("OperationError",
                () -> bytes(AesCiphers.cbc(encrypt, handle.secret(), Octets.of(iv), Octets.of(data))));
    }

    @HostAccess.Export
    public ByteBuffer aesGcm(boolean encrypt, KeyHandle handle, Value iv, Value additionalData, int tagLength,
            Value data) {
        return guard("OperationError", () -> bytes(AesCiphers.gcm(encrypt, handle.secret(), Octets.of(iv),
                Octets.of(additionalData), tagLength, Octets.of(data))));
    }

    @HostAccess.Export
    public ByteBuffer aesKw(boolean wrap, KeyHandle handle, Value data) {
        return guard("OperationError", () -> bytes(AesCiphers.kw(wrap, handle.secret(), Octets.of(data))));
    }

    @HostAccess.Export
    public ByteBuffer rsaOaep(boolean encrypt, KeyHandle handle, String hash, Value label, Value data) {
        return guard("OperationError",
                () -> bytes(RsaKeys.oaep(encrypt, handle, hash, Octets.of(label), Octets.of(data))));
    }

    /** algorithm HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA or Ed25519. */
    @HostAccess.Export
    public ByteBuffer sign(String algorithm, KeyHandle handle, String hash, double saltLength, Value data) {
        return guard("OperationError", () -> {
            byte[] bytes = Octets.of(data);
            return bytes(switch (algorithm) {
                case "HMAC" -> Hashes.hmac(hash, handle.secret(), bytes);
                case "ECDSA" -> EcKeys.sign(handle, hash, bytes);
                case "Ed25519" -> OkpKeys.sign(handle, bytes);
                default -> RsaKeys.sign(algorithm, handle, hash, saltLength(saltLength), bytes);
            });
        });
    }

    @HostAccess.Export
    public Boolean verify(String algorithm, KeyHandle handle, String hash, double saltLength, Value signature,
            Value data) {
        return guard("OperationError", () -> {
            byte[] signed = Octets.of(signature);
            byte[] bytes = Octets.of(data);
            return switch (algorithm) {
                case "HMAC" -> MessageDigest.isEqual(Hashes.hmac(hash, handle.secret(), bytes), signed);
                case "ECDSA" -> EcKeys.verify(handle, hash, signed, bytes);
                case "Ed25519" -> OkpKeys.verify(handle, signed, bytes);
                default -> RsaKeys.verify(algorithm, handle, hash, saltLength(saltLength), signed, bytes);
            };
        });
    }

    /** Heavy for large iteration counts: offload once slot.post exists (see the class comment). */
    @HostAccess.Export
    public ByteBuffer pbkdf2(KeyHandle handle, String hash, Value salt, double iterations, double bytes) {
        return guard("OperationError",
                () -> bytes(Hashes.pbkdf2(hash, handle.secret(), Octets.of(salt), (long) iterations,
                        outputLength(bytes), System.nanoTime() + cpuLimitNanos)));
    }

    @HostAccess.Export
    public ByteBuffer hkdf(KeyHandle handle, String hash, Value salt, Value info, int bytes) {
        return guard("OperationError",
                () -> bytes(Hashes.hkdf(hash, handle.secret(), Octets.of(salt), Octets.of(info), bytes)));
    }

    /** The whole shared secret of ECDH or X25519; the prelude cuts it to the asked length. */
    @HostAccess.Export
    public ByteBuffer agree(String algorithm, KeyHandle privateKey, KeyHandle publicKey) {
        return guard("OperationError", () -> bytes(algorithm.equals("ECDH")
                ? EcKeys.agree(privateKey, publicKey)
                : OkpKeys.agree(privateKey, publicKey)));
    }
}
