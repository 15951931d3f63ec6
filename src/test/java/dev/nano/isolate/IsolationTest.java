package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tenant code tries to reach the host, the disk and other apps (src/test/resources/apps/isolation). */
@QuarkusTest
@TestProfile(TestApps.class)
class IsolationTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private ValidatableResponse probe() {
        return given().header("Host", "isolation.test").get("/").then().statusCode(200);
    }

    @Test
    void noHostGlobalsExist() {
        ValidatableResponse probe = probe();
        for (String name : List.of("Java", "Polyglot", "Graal", "load", "loadWithNewGlobal", "print", "printErr",
                "quit", "exit", "read", "readbuffer", "readline", "Packages", "java", "javax", "process", "require",
                "binding", "internals", "primordials", "__nano")) {
            probe.body("globals." + name, equalTo("undefined"));
        }
        probe.body("globalNames", empty())
                .body("javaTypeViaEval.ok", equalTo(false))
                .body("javaTypeViaEval.error", equalTo("ReferenceError"))
                .body("polyglotEval.ok", equalTo(false));
    }

    @Test
    void modulesImportOnlyFromTheAppFolder() {
        probe().body("siblingImport.ok", equalTo(true))
                .body("siblingImport.value", equalTo("imported from the app's own folder"))
                .body("parentImport.ok", equalTo(false))
                .body("absoluteImport.ok", equalTo(false))
                .body("fileUrlImport.ok", equalTo(false))
                .body("nodeBuiltinImport.ok", equalTo(false))
                .body("bareImport.ok", equalTo(false))
                .body("symlinkImport.ok", equalTo(false));
    }

    @Test
    void callbacksCannotWalkUpIntoTheRuntime() {
        probe().body("callerSeen", not(equalTo("function")));
    }

    @Test
    void envIsFrozenNullPrototypeAndFromConfigOnly() {
        given().header("Host", "isolation.test").get("/env").then().statusCode(200)
                .body("keys", contains("GREETING", "SECRET"))
                .body("secret", equalTo("isolation-only"))
                .body("frozen", equalTo(true))
                .body("nullPrototype", equalTo(true))
                .body("writeError", equalTo("TypeError"))
                .body("hasPath", equalTo(false));
    }

    @Test
    void appsShareNoGlobalsPrototypesOrEnv() {
        given().header("Host", "isolation.test").get("/pollute").then().statusCode(200);
        given().header("Host", "neighbour.test").get("/").then().statusCode(200)
                .body("leaked", equalTo("undefined"))
                .body("polluted", equalTo("undefined"))
                .body("envKeys", empty());
    }

    @Test
    void patchedBuiltinsDoNotBreakTheRuntime() {
        given().header("Host", "isolation.test").get("/patched-builtins").then().statusCode(200)
                .body("entries", equalTo(3));
    }

    @Test
    void patchedPromiseResolveAndReflectApplyDoNotBreakTheResponsePath() {
        given().header("Host", "isolation.test").get("/patched-promise").then().statusCode(200)
                .body(equalTo("delivered anyway"));
    }
}
