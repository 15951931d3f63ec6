package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prelude uses only the builtins it captured before app code ran: the patched app replaces
 * every builtin method the prelude could call with one that throws (at module top level), and
 * a request of each kind still answers correctly. A test that fails names the patched method
 * the runtime called (in the 500's message).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class PrimordialsTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static io.restassured.specification.RequestSpecification patched() {
        return given().header("Host", "patched.test");
    }

    @Test
    void everyKindOfRequestWorksWithEveryBuiltinPatched() {
        patched().get("/plain").then().statusCode(200).body(equalTo("plain ok"));
        patched().contentType("application/json").body("{\"a\":[1,2,{\"b\":\"c\"}]}").post("/json?q=k").then()
                .statusCode(200).body("got.a[2].b", equalTo("c")).body("query", equalTo("k"));
        patched().get("/stream-response").then().statusCode(200).body(equalTo("one two three"));
        patched().body(new byte[50_000]).post("/stream-request").then().statusCode(200)
                .body(equalTo("read 50000 bytes"));
        patched().header("x-in", "hello").get("/headers").then().statusCode(200)
                .header("x-echo", equalTo("hello")).header("x-list", equalTo("a, b")).body(equalTo("true"));
        patched().get("/url").then().statusCode(200).body(equalTo("https://example.com/b/c?x=1&y=2&z=3#frag"));
        patched().get("/timers").then().statusCode(200).body(equalTo("timer fired"));
        patched().body("some text").post("/text-body").then().statusCode(200).body(equalTo("some text"));
        patched().get("/calls").then().statusCode(200).body(equalTo("0"));
    }
}
