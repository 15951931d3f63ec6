package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DOM events, the global scope's error events, AbortController/AbortSignal, DOMException,
 * performance and navigator as an app sees them (src/test/resources/apps/events). Expected
 * values follow the DOM, HTML, WebIDL, HR-Time and User Timing standards.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class EventsTest {

    private ValidatableResponse cases;

    @BeforeEach
    void runCases() {
        NanoTest.awaitReady();
        cases = given().header("Host", "events.test").get("/").then().statusCode(200);
    }

    @Test
    void eventsHaveTheirDefaultsAndInit() {
        cases.body("eventDefaults", contains("x", false, false, false, 0, false, true, false, true, null, null, null, 0,
                        false))
                // Dictionary members are read once each, in lexicographic order; unknown ones never.
                .body("eventInit", contains(contains("bubbles", "cancelable"), equalTo(false), equalTo(true)))
                .body("eventNeedsType.error", equalTo("TypeError"))
                .body("eventWithoutNew.error", equalTo("TypeError"))
                .body("eventConstants", contains(0, 1, 2, 3, 2))
                .body("brandChecks", contains("TypeError", "TypeError", "TypeError", "[object Event]",
                        "[object EventTarget]"));
    }

    @Test
    void isTrustedIsAnUnforgeableOwnGetter() {
        cases.body("isTrustedUnforgeable", contains("function", true, false, true, "TypeError", false));
    }

    @Test
    void dispatchRunsCaptureListenersFirstAtTheTarget() {
        cases.body("dispatchOrder", contains("capture 2 true", "bubble 2", "this true true", "after 0 null true 0"))
                .body("duplicatesAndOptions", equalTo(3))
                .body("onceListener", equalTo(1))
                .body("handleEventObject", contains(true, "h"))
                .body("listenersChangedDuringDispatch", contains("first"))
                .body("subclassedEventTarget", equalTo("payload"));
    }

    @Test
    void propagationAndCancellationFlags() {
        cases.body("stopImmediatePropagation", contains(1, false))
                .body("stopPropagationBeforeDispatch", contains(false, true, false))
                .body("preventDefault", contains(false, true, false, true, false))
                .body("passiveIgnoresPreventDefault", contains(true, false, false))
                .body("returnValueLegacy", contains(false, true, false))
                .body("redispatchWhileDispatching", contains("InvalidStateError", "x"))
                .body("initEventResets", contains("b", true, false, false));
    }

    @Test
    void anAbortSignalRemovesItsListeners() {
        cases.body("signalRemovesListener", contains(1, "TypeError"));
    }

    @Test
    void aThrowingListenerIsReportedAsAnErrorEventAndDispatchGoesOn() {
        cases.body("listenerThrowsIsReported", contains(equalTo(true), equalTo(true), contains(
                "ErrorEvent", "error", "Uncaught RangeError: listener broke", true, true, true, true, true, true)))
                .body("abortListenerThrows", contains("abort listener", "second ran"));
    }

    @Test
    void eventHandlerAttributesFollowHtml() {
        cases.body("onerrorSpecialArguments", contains(
                        contains(true, "Uncaught TypeError: reported", "string", "number", "reported", 5), nullValue()))
                .body("eventHandlerAttributes[0]", contains("handler abort true", "listener"))
                .body("eventHandlerAttributes[1]", contains(nullValue(), equalTo(true)))
                .body("eventHandlerAttributes[2]", equalTo(true))
                .body("handlerReturnFalseCancels", contains(false, true));
    }

    @Test
    void theGlobalScopeIsAnEventTarget() {
        cases.body("globalScope", contains(4, "custom", 1, true, true, true, "function", true, true, true))
                .body("eventSubclasses", contains(42, null, "m", "f.js", 3, 4, "e", null, 9, true, "TypeError", true,
                        "[object PromiseRejectionEvent]"));
    }

    @Test
    void reportErrorWithoutAListenerReachesTheAppLog() {
        try (LogCapture log = LogCapture.of("nano.app")) {
            given().header("Host", "events.test").get("/report").then().statusCode(200).body(equalTo("true"));
            assertTrue(log.records().stream().anyMatch(r -> r.level().equals("ERROR")
                    && r.message().startsWith("Uncaught Error: reportError reached the log")
                    && "events".equals(r.fields().get("app"))), "reportError: " + log.records());
        }
    }

    @Test
    void abortControllerAndSignal() {
        cases.body("abortController", contains(false, null, true, true, false, true, 1, true, true, "AbortError", 20))
                .body("abortReasons", contains(equalTo("why"), nullValue(), equalTo("AbortError"), equalTo(true),
                        equalTo(true), equalTo(java.util.Map.of("error", "why")), equalTo("AbortError"), nullValue()))
                .body("abortSignalIllegalConstructor", equalTo("TypeError"));
    }

    @Test
    void abortSignalAnyFollowsItsSources() {
        cases.body("abortAny", contains(true, "b's reason", 1, true, "already", false, "TypeError"))
                // Dependents link to the source signals, so events fire in creation order.
                .body("abortAnyOrder", contains("01234", true));
    }

    @Test
    void abortSignalTimeoutAbortsWithATimeoutError() {
        given().header("Host", "events.test").get("/async").then().statusCode(200)
                .body("abortTimeout", contains(false, "TimeoutError", true, 23))
                .body("abortAnyTimeout", equalTo("TimeoutError"));
    }

    @Test
    void anUnhandledRejectionIsAnEventAListenerCanCancel() {
        try (LogCapture log = LogCapture.of("nano.app")) {
            given().header("Host", "events.test").get("/async").then().statusCode(200)
                    .body("unhandledRejectionEvent", contains("PromiseRejectionEvent", "nobody handles this one", true,
                            true, true, "handler unhandledrejection"));
            assertTrue(log.records().stream().noneMatch(r -> r.message().contains("nobody handles this one")),
                    "a cancelled rejection is not logged: " + log.records());
        }
    }

    @Test
    void domExceptionIsComplete() {
        cases.body("domExceptionBasics", contains("NotFoundError", "msg", 8, true, true, true, "NotFoundError: msg",
                        "[object DOMException]", false, false, "string", "NotFoundError: msg", "Error", "", "null", 0))
                .body("domExceptionCodes", contains(1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21,
                        22, 23, 24, 25, 0, 0, 0, 0, 0))
                .body("domExceptionConstants", contains(1, 2, 10, 16, 23, 25, false, true, false))
                .body("domExceptionBrandChecks", contains("TypeError", "TypeError", "TypeError", 5, "TypeError", 1));
    }

    @Test
    void performanceHasACoarseMonotonicClockAndUserTiming() {
        cases.body("performance", contains("number", true, true, true, true, true, true, "TypeError",
                        "[object Performance]"))
                .body("eventTimeStamp", contains(true, true))
                .body("userTiming", contains(equalTo("mark"), equalTo(1), equalTo(0), equalTo(5), equalTo(0.5f),
                        equalTo(2.5f), equalTo(1),
                        contains("measure:opts", "mark:start", "measure:span", "mark:end"), equalTo(1), equalTo(2),
                        equalTo("SyntaxError"), equalTo("TypeError"), equalTo("mark"),
                        equalTo("name,entryType,startTime,duration"), equalTo(1), equalTo(0)));
    }

    @Test
    void navigatorNamesNano() {
        cases.body("navigator[0]", matchesPattern("NANO/\\d+\\.\\d+\\.\\d+.*"))
                .body("navigator[1]", equalTo("number"))
                .body("navigator[2]", equalTo(true))
                .body("navigator[3]", equalTo("TypeError"))
                .body("navigator[4]", equalTo("[object Navigator]"));
    }

    @Test
    void theFamiliesAreGlobalsWithWebIdlAttributes() {
        // Interfaces are not enumerable; operations and attributes of the global scope are.
        cases.body("globals", contains("Event:function:false", "EventTarget:function:false",
                        "CustomEvent:function:false", "ErrorEvent:function:false",
                        "PromiseRejectionEvent:function:false", "AbortController:function:false",
                        "AbortSignal:function:false", "Performance:function:false", "performance:object:true",
                        "structuredClone:function:true", "reportError:function:true", "navigator:object:true",
                        "DOMException:function:false"));
    }
}
