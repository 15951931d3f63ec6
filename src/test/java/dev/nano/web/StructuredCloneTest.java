package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * structuredClone as an app sees it (src/test/resources/apps/structuredclone), per HTML's
 * StructuredSerializeWithTransfer / StructuredDeserializeWithTransfer.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class StructuredCloneTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    /** Runs only the named cases of the app. */
    private static ValidatableResponse run(String... names) {
        return given().header("Host", "structuredclone.test").queryParam("cases", String.join(",", names))
                .get("/").then().statusCode(200);
    }

    @Test
    void primitivesAndWrapperObjects() {
        // JSON has no -0: 1 / -0 comes back as a JSON null for -Infinity.
        run("primitives", "wrappers")
                .body("primitives", contains(1, null, "s", true, null, true, "12", true))
                .body("wrappers", contains(contains("object", "[object Boolean]", "false"),
                        contains("object", "[object Number]", "7"), contains("object", "[object String]", "str"),
                        contains("object", "[object BigInt]", "5")));
    }

    @Test
    void datesRegExpsMapsAndSets() {
        run("dateAndRegExp", "mapsAndSets")
                .body("dateAndRegExp", contains(true, "2020-02-29T12:00:00.000Z", true, true, "a+b", "gimsuy", 0, "dv"))
                .body("mapsAndSets", contains(true, 2, 1, true, "object key", true, 2));
    }

    @Test
    void plainObjectsKeepOwnEnumerableStringKeysAndHoles() {
        run("plainObjectsAndArrays", "classInstanceLosesPrototype", "protoKeyIsData")
                .body("plainObjectsAndArrays", contains(contains("a", "nested", "getter"), equalTo(3), equalTo(false),
                        equalTo("kept"), equalTo(0), equalTo("read"), equalTo(true)))
                .body("classInstanceLosesPrototype", contains(false, true, 1))
                .body("protoKeyIsData", contains(true, true, null));
    }

    @Test
    void cyclesAndSharedReferencesSurvive() {
        run("cyclesAndSharing")
                .body("cyclesAndSharing", contains(true, true, true, true, true));
    }

    @Test
    void buffersAndViewsShareAsTheOriginalsDid() {
        run("buffersAndViews", "allTypedArrays", "resizableBuffer")
                .body("buffersAndViews", contains("Uint8Array", 4, 8, 200, true, 16, "DataView", 2, 4, -2, "5", true, 16))
                .body("allTypedArrays", everyItem(equalTo(true)))
                .body("resizableBuffer", contains(true, 12, 4));
    }

    @Test
    void errorsAndDomExceptions() {
        run("errors", "domException")
                .body("errors", contains(true, "RangeError", "outer", true, "inner", "string", false, true, "Error",
                        "mine", true, false))
                .body("domException", contains(true, "NotFoundError", "gone", 8, "string"));
    }

    @Test
    void whatCannotBeClonedThrowsDataCloneError() {
        run("uncloneable", "getterThrowsPropagates", "missingArgument")
                .body("uncloneable", everyItem(equalTo("DataCloneError:25:true")))
                .body("uncloneable.size()", equalTo(10))
                .body("getterThrowsPropagates.error", equalTo("URIError"))
                .body("missingArgument", equalTo("TypeError"));
    }

    @Test
    void transferDetachesTheOriginalBuffer() {
        run("transfer", "transferErrors")
                .body("transfer", contains(0, true, 0, 42, 8))
                .body("transferErrors", contains("DataCloneError:25", "DataCloneError:25", "DataCloneError:25",
                        "DataCloneError:25", "TypeError:undefined", 1));
    }

    @Test
    void structuredCloneIsAGlobalFunction() {
        run("globalShape")
                .body("globalShape", contains(true, true, true, 1));
    }
}
