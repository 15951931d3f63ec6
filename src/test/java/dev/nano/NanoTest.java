package dev.nano;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.ConfigProvider;

/** What every test of the running service needs: the management port and readiness. */
public final class NanoTest {

    private NanoTest() {
    }

    /** The management interface (health, metrics) during tests. */
    public static String managementUrl(String path) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        return "http://127.0.0.1:" + port + path;
    }

    /** The apps' port during tests (raw-socket tests need the number, not a URL). */
    public static int appPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
    }

    /** A sample's value from /q/metrics, e.g. {@code nano_requests_total{app="a",status="200"}}; 0 if absent. */
    public static double metric(String series) {
        String metrics = given().get(managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }

    /** Apps load after start-up; tests begin once readiness is UP. */
    public static void awaitReady() {
        // Generous: on a loaded 2-core machine loading every test app has taken over two minutes.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
        while (Instant.now().isBefore(deadline)) {
            Response ready = given().get(managementUrl("/q/health/ready"));
            if (ready.statusCode() == 200) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("NANO did not become ready within 300 s");
    }
}
