package dev.nano;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example apps in apps/, served by application.yaml as a user runs them. */
@QuarkusTest
@TestProfile(TestApps.class)
class ExampleAppsTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void helloGreetsWithItsEnv() {
        given().header("Host", "hello.localhost").get("/").then().statusCode(200)
                .contentType("text/plain; charset=utf-8")
                .body(equalTo("Hello from NANO\n"));
    }

    @Test
    void echoReturnsMethodUrlHeadersAndBody() {
        given().header("Host", "echo.localhost").header("X-Trace", "t-1").body("ping")
                .put("/a/b?c=d").then().statusCode(200)
                .body("method", equalTo("PUT"))
                .body("url", equalTo("http://echo.localhost/a/b?c=d"))
                .body("headers.x-trace", equalTo("t-1"))
                .body("body", equalTo("ping"));
    }

    @Test
    void jsonApiRoutesOnPathAndMethod() {
        given().header("Host", "json-api.localhost").get("/").then().statusCode(200)
                .body("service", equalTo("todos"));
        given().header("Host", "json-api.localhost").get("/todos/1").then().statusCode(200)
                .body("title", equalTo("try NANO"));
        given().header("Host", "json-api.localhost").get("/todos/999").then().statusCode(404)
                .body("error", equalTo("no such todo"));
        given().header("Host", "json-api.localhost").delete("/todos").then().statusCode(405);
        given().header("Host", "json-api.localhost").contentType("application/json").body("{\"title\": 5}")
                .post("/todos").then().statusCode(400);
    }

    @Test
    void jsonApiCreatesTodosAndAnswersWildcardHosts() {
        given().header("Host", "todo.api.localhost").contentType("application/json")
                .body("{\"title\": \"write tests\"}")
                .post("/todos").then().statusCode(201)
                .body("title", equalTo("write tests"))
                .body("done", equalTo(false))
                .header("location", startsWith("/todos/"));
        given().header("Host", "todo.api.localhost").get("/todos").then().statusCode(200)
                .body("$", org.hamcrest.Matchers.not(hasSize(0)));
        given().header("Host", "todo.api.localhost").delete("/todos/12345").then().statusCode(404);
    }

    @Test
    void tickerStreamsServerSentEvents() {
        String body = given().header("Host", "ticker.localhost").get("/?interval=10&count=3").then().statusCode(200)
                .contentType("text/event-stream")
                .header("transfer-encoding", "chunked")
                .extract().asString();
        assertTrue(body.startsWith(": ticking every 10 ms"), body);
        assertTrue(body.contains("id: 3\ndata: {\"tick\":3"), body);
    }

    @Test
    void signerSignsWithTheKeyFromItsEnvAndVerifies() throws Exception {
        String message = "pay 10 to alice";
        JsonPath signed = given().header("Host", "signer.localhost").body(message)
                .post("/sign").then().statusCode(200).extract().jsonPath();
        // The same HMAC computed here with the key application.yaml gives the app.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("change-me-in-production".getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, signed.getString("signature"));
        given().header("Host", "signer.localhost").contentType("application/json")
                .body(Map.of("message", message, "signature", signed.getString("signature")))
                .post("/verify").then().statusCode(200).body("valid", equalTo(true));
        given().header("Host", "signer.localhost").contentType("application/json")
                .body(Map.of("message", "pay 1000 to mallory", "signature", signed.getString("signature")))
                .post("/verify").then().statusCode(200).body("valid", equalTo(false));
    }
}
