package dev.nano.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code quarkus.http.*} settings an operator expects on the apps' port, which NANO serves
 * itself: TLS from a key store (a self-signed certificate made here with the JDK's keytool),
 * {@code insecure-requests: redirect}, and proxy forwarding (client address and scheme).
 */
@QuarkusTest
@TestProfile(AppPortSettingsTest.Tls.class)
class AppPortSettingsTest {

    static final Path KEY_STORE = Path.of("target", "app-port-test.p12").toAbsolutePath();

    public static class Tls extends TestApps {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            makeKeyStore();
            config.put("quarkus.http.ssl.certificate.key-store-file", KEY_STORE.toString());
            config.put("quarkus.http.ssl.certificate.key-store-password", "changeit");
            // A fixed port: with 0 Quarkus hands RestAssured an HTTPS port of 0. Next to the test port.
            int testPort = Integer.getInteger("quarkus.http.test-port", 8081);
            config.put("quarkus.http.test-ssl-port", Integer.toString(testPort + 8));
            config.put("quarkus.http.insecure-requests", "redirect");
            config.put("quarkus.http.proxy.proxy-address-forwarding", "true");
            config.put("quarkus.http.proxy.allow-x-forwarded", "true");
            config.put("quarkus.http.proxy.allow-forwarded", "true");
            return config;
        }
    }

    static void makeKeyStore() {
        try {
            Files.createDirectories(KEY_STORE.getParent());
            Files.deleteIfExists(KEY_STORE);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "nano", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=hardening.test", "-ext", "san=dns:hardening.test",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", KEY_STORE.toString(),
                    "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Inject
    AppServer server;

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static String http(String path) {
        return "http://127.0.0.1:" + Integer.getInteger("quarkus.http.test-port", 8081) + path;
    }

    private String https(String path) {
        return "https://127.0.0.1:" + server.httpsPort() + path;
    }

    @Test
    void appsAnswerOverTls() {
        assertTrue(server.httpsPort() > 0, "an HTTPS listener on the apps' port");
        given().relaxedHTTPSValidation().header("Host", "hardening.test").get(https("/url")).then().statusCode(200)
                .body("url", equalTo("https://hardening.test/url"))
                .body("client", equalTo("127.0.0.1"));
    }

    @Test
    void plainHttpIsRedirectedToHttps() {
        given().redirects().follow(false).header("Host", "hardening.test").get(http("/plain?x=1")).then().statusCode(301)
                .header("location", equalTo("https://hardening.test:" + server.httpsPort() + "/plain?x=1"));
    }

    @Test
    void forwardedClientAddressAndSchemeReachTheApp() {
        // Behind a TLS-terminating proxy: plain HTTP that says it was HTTPS is served, not redirected.
        given().redirects().follow(false).header("Host", "hardening.test")
                .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1").header("X-Forwarded-Proto", "https")
                .header("cf-connecting-ip", "6.6.6.6")
                .get(http("/url")).then().statusCode(200)
                .body("url", equalTo("https://hardening.test/url"))
                .body("client", equalTo("203.0.113.7"));
        given().relaxedHTTPSValidation().header("Host", "hardening.test")
                .header("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https")
                .get(https("/url")).then().statusCode(200)
                .body("client", equalTo("2001:db8::1"));
    }
}
