package dev.nano;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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
        org.junit.jupiter.api.Assertions.assertTrue(body.startsWith(": ticking every 10 ms"), body);
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("id: 3\ndata: {\"tick\":3"), body);
    }

    @Test
    void signerSignsWithTheKeyFromItsEnvAndVerifies() throws Exception {
        String message = "pay 10 to alice";
        io.restassured.path.json.JsonPath signed = given().header("Host", "signer.localhost").body(message)
                .post("/sign").then().statusCode(200).extract().jsonPath();
        // The same HMAC computed here with the key application.yaml gives the app.
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("change-me-in-production".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String expected = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        org.junit.jupiter.api.Assertions.assertEquals(expected, signed.getString("signature"));
        given().header("Host", "signer.localhost").contentType("application/json")
                .body(java.util.Map.of("message", message, "signature", signed.getString("signature")))
                .post("/verify").then().statusCode(200).body("valid", equalTo(true));
        given().header("Host", "signer.localhost").contentType("application/json")
                .body(java.util.Map.of("message", "pay 1000 to mallory", "signature", signed.getString("signature")))
                .post("/verify").then().statusCode(200).body("valid", equalTo(false));
    }
}
