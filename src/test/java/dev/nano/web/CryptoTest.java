package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * crypto and crypto.subtle as an app sees them (src/test/resources/apps/crypto). Expected bytes
 * are the published test vectors the app cites (FIPS 180, RFC 4231, RFC 5869, RFC 6070, the GCM
 * spec's cases, SP 800-38A, RFC 3394, RFC 8032, RFC 7748); error names are the spec's. Where
 * Node's webcrypto differs from the spec (it does not dedupe usages, names a non-extractable
 * export "InvalidAccessException", lets a key's algorithm object change the key), these follow
 * the spec.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class CryptoTest {

    private static boolean ready;

    /**
     * Runs the named cases in one request. The first call waits for the crypto app itself rather
     * than for readiness of every app: on a loaded 2-core machine the whole set can take longer
     * than the shared 120 s.
     */
    private static ValidatableResponse cases(String... names) throws InterruptedException {
        String query = String.join(",", names);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(ready ? 0 : 300));
        while (true) {
            Response response = given().header("Host", "crypto.test").queryParam("case", query).get("/");
            if (response.statusCode() == 200 || Instant.now().isAfter(deadline)) {
                ready = true;
                return response.then().statusCode(200);
            }
            Thread.sleep(250);
        }
    }

    @Test
    void digestsMatchFips180() throws InterruptedException {
        cases("digestVectors").body("digestVectors", contains(
                "a9993e364706816aba3e25717850c26c9cd0d89d",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a8"
                        + "36ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    @Test
    void hmacHkdfAndPbkdf2MatchTheirRfcs() throws InterruptedException {
        cases("hmacRfc4231", "hkdfRfc5869", "pbkdf2Rfc6070")
                .body("hmacRfc4231", contains(
                        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702"
                                + "038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
                        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", true, false))
                .body("hkdfRfc5869", contains(
                        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
                .body("pbkdf2Rfc6070", contains("0c60c80f961f0e71f3a9b524af6012062fe037a6",
                        "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957", "4b007901b765489abead49d926f721d065a429c1",
                        "56fa6aa75548099dcc37d7f03425e0c3"));
    }

    @Test
    void aesModesMatchTheirVectors() throws InterruptedException {
        cases("aesGcmVectors", "aesCbcCtrVectors", "aesKwRfc3394")
                .body("aesGcmVectors", contains(
                        "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf",
                        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c"
                                + "7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47", true))
                .body("aesCbcCtrVectors", contains("7649abac8119b246cee98e9b12e9197d", 32,
                        "6bc1bee22e409f96e93d7e117393172a", "874d6191b620e3261bef6864990db6ce", "OperationError"))
                .body("aesKwRfc3394", contains("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5",
                        "00112233445566778899aabbccddeeff", List.of("decrypt"), "OperationError"));
    }

    @Test
    void aesGcmTagsOfEveryAllowedLengthAndMismatches() throws InterruptedException {
        cases("aesGcmShortTags", "aesGcmTagMismatch")
                .body("aesGcmShortTags", contains(List.of(21, true, "OperationError"),
                        List.of(25, true, "OperationError"), List.of(29, true, "OperationError"),
                        List.of(33, true, "OperationError"), "OperationError"))
                .body("aesGcmTagMismatch", equalTo("OperationError"));
    }

    @Test
    void aesCtrCountsOnlyTheRightmostLengthBits() throws InterruptedException {
        cases("aesCtrCounterWraps")
                .body("aesCtrCounterWraps", contains(true, false, true, "OperationError", "OperationError"));
    }

    @Test
    void wrapsWithAesKwAndEncryptAlgorithms() throws InterruptedException {
        cases("wrapWithEncryptAlgorithms").body("wrapWithEncryptAlgorithms", contains(true, 1024, false,
                "07070707070707070707070707070707", "InvalidAccessError", "OperationError"));
    }

    @Test
    void ed25519AndX25519MatchRfc8032AndRfc7748() throws InterruptedException {
        cases("ed25519Rfc8032", "x25519Rfc7748", "generatedOkpRoundTrips")
                .body("ed25519Rfc8032", contains(
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
                                + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", true, false,
                        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
                                + "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
                        true, "Ed25519", "OKP", "DataError"))
                .body("x25519Rfc7748", contains("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
                        true, "4a50", "OperationError"))
                .body("generatedOkpRoundTrips", contains(64, true, 44, true, List.of("verify"), List.of("sign"),
                        true, List.of(), 16, 48));
    }

    @Test
    void rsaKeysSignEncryptAndRoundTripEveryFormat() throws InterruptedException {
        cases("rsaRoundTrips").body("rsaRoundTrips", contains(128, true, true, false, true, "OperationError",
                "alg,d,dp,dq,e,ext,key_ops,kty,n,p,q,qi", "RS256", "RSA", true, true, true, "RSA-OAEP-256", "AQAB",
                1024, "010001", "SHA-256", true, "DataError", "InvalidAccessError"));
    }

    @Test
    void ecdsaSignaturesAreP1363() throws InterruptedException {
        cases("ecdsaP1363").body("ecdsaP1363", contains(List.of(64, true, false, false),
                List.of(96, true, false, false), List.of(132, true, false, false)));
    }

    @Test
    void ecKeysRoundTripEveryFormatAndDerive() throws InterruptedException {
        cases("ecKeyFormats", "ecdhDerive")
                .body("ecKeyFormats", contains(true, true, true, "crv,d,ext,key_ops,kty,x,y", "P-256", "DataError",
                        "DataError", "DataError", "NotSupportedError"))
                .body("ecdhDerive", contains(48, true, 256, "secret", "InvalidAccessError", "InvalidAccessError",
                        "InvalidAccessError"));
    }

    @Test
    void derivesKeysFromPasswordsAndHkdf() throws InterruptedException {
        cases("deriveKeyFromPassword").body("deriveKeyFromPassword", contains("AES-CBC", 256, false,
                List.of("encrypt", "decrypt"), 1024, "SyntaxError", "InvalidAccessError", "NotSupportedError"));
    }

    @Test
    void secretKeysAndTheirJwk() throws InterruptedException {
        cases("secretKeysAndJwk").body("secretKeysAndJwk", contains(512, List.of("sign", "verify"),
                List.of("encrypt", "decrypt"), "A192GCM", "oct", true, List.of("encrypt", "decrypt"), 32,
                "alg,ext,k,key_ops,kty", true, "HS256", 28, "DataError", "DataError", "DataError", "DataError",
                "DataError", "TypeError", "OperationError"));
    }

    @Test
    void cryptoKeyFollowsWebIdl() throws InterruptedException {
        cases("keyObjectModel").body("keyObjectModel", contains("secret", false,
                Map.of("name", "AES-CTR", "length", 128), List.of("encrypt", "decrypt"), true, true,
                "[object CryptoKey]", "[object SubtleCrypto]", "[object Crypto]", "TypeError", "TypeError",
                "function", "function", "function", false, "TypeError", "TypeError"));
    }

    @Test
    void appCodeCannotReachTheKeyMaterial() throws InterruptedException {
        cases("keyHidesItsMaterial").body("keyHidesItsMaterial", contains(0, "{}", "{}",
                "algorithm,extractable,type,usages", 0, "undefined", "undefined", "InvalidAccessError",
                "InvalidAccessError", 17));
    }

    @Test
    void errorsAreTheSpecsDomExceptionsAsRejections() throws InterruptedException {
        cases("errorPaths").body("errorPaths", contains("InvalidAccessError", "InvalidAccessError", "DataError",
                "DataError", "DataError", "NotSupportedError", "NotSupportedError", "NotSupportedError",
                "InvalidAccessError", "SyntaxError", "SyntaxError", "TypeError", "TypeError", "NotSupportedError",
                "TypeError", "TypeError", false, "TypeError", "TypeError", "InvalidAccessError"));
    }

    @Test
    void capsWhatOneTenantMayTakeFromTheProcess() throws InterruptedException {
        cases("resourceCaps").body("resourceCaps",
                contains("OperationError", "OperationError", "OperationError", 1 << 20));
    }

    @Test
    void appPatchedBuiltinsChangeNothing() throws InterruptedException {
        cases("patchedBuiltins").body("patchedBuiltins",
                contains("SyntaxError", "a9993e364706816aba3e25717850c26c9cd0d89d"));
    }

    @Test
    void randomValuesAndUuids() throws InterruptedException {
        cases("randomValues").body("randomValues", contains(true, true, true, "TypeMismatchError/true",
                "TypeMismatchError/true", "QuotaExceededError/true", "TypeError/false", "TypeError/false", true, true,
                true));
    }
}
