package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Apps that cannot load are FAILED with a reason; readiness and every other app are unaffected. */
@QuarkusTest
@TestProfile(TestApps.class)
class AppLoadingTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static void failed(String host, String reason) {
        given().header("Host", host).get("/").then().statusCode(503)
                .body("error", equalTo("app_failed"))
                .body("message", containsString(reason));
    }

    @Test
    void aModuleThatThrowsAtLoadIsFailed() {
        failed("broken.test", "broken at load");
    }

    @Test
    void aSyntaxErrorIsFailed() {
        failed("syntax.test", "SyntaxError");
    }

    @Test
    void aModuleWithoutDefaultFetchIsFailed() {
        failed("noexport.test", "must `export default");
    }

    @Test
    void aModuleThatNeverFinishesLoadingIsStoppedAndFailed() {
        failed("toplevelloop.test", "cpu-limit");
    }

    @Test
    void aMissingModuleFileIsFailed() {
        failed("missing.test", "module file not found");
    }

    @Test
    void readinessIsUpAndListsEveryAppState() {
        given().get(NanoTest.managementUrl("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'nano-apps' }.data.'app.broken'", equalTo("FAILED"))
                .body("checks.find { it.name == 'nano-apps' }.data.'app.hello'", equalTo("ACTIVE"));
        given().header("Host", "hello.localhost").get("/").then().statusCode(200);
    }
}
