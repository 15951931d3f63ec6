package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MessageChannel, MessagePort and MessageEvent as an app sees them
 * (src/test/resources/apps/messaging), per https://html.spec.whatwg.org/#channel-messaging.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class MessagingTest {

    private ValidatableResponse cases;

    @BeforeEach
    void runCases() {
        NanoTest.awaitReady();
        cases = given().header("Host", "messaging.test").get("/").then().statusCode(200);
    }

    @Test
    void aMessageArrivesAsAClonedMessageEvent() {
        cases.body("basic.isMessageEvent", equalTo(true))
                .body("basic.type", equalTo("message"))
                .body("basic.a", contains(1, 2))
                .body("basic.date", equalTo(0))
                .body("basic.map", equalTo(1))
                .body("basic.origin", equalTo(""))
                .body("basic.lastEventId", equalTo(""))
                .body("basic.source", nullValue())
                .body("basic.ports", equalTo(0))
                .body("basic.portsFrozen", equalTo(true))
                .body("basic.samePorts", equalTo(true))
                .body("basic.target", equalTo(true))
                .body("basic.trusted", equalTo(true))
                .body("basic.tag", equalTo("[object MessagePort]"))
                .body("cloned.received", equalTo(1))
                .body("cloned.notSame", equalTo(true));
    }

    @Test
    void messagesAreTasksInOrderAndWaitForStart() {
        cases.body("orderAndAsync.log", contains("sync", "micro", 1, 2, 3))
                .body("queuedUntilStarted.beforeStart", equalTo(0))
                .body("queuedUntilStarted.after", contains("a", "b"))
                .body("onmessageStarts.data", equalTo("x"))
                .body("onmessageStarts.handlerNull", nullValue())
                .body("bothDirections.answer", equalTo(42));
    }

    @Test
    void closingStopsDeliveryAndTellsTheOtherEnd() {
        cases.body("closed.log", empty())
                .body("closed.postOnClosed", equalTo("no error"))
                .body("closeEvent.type", equalTo("close"));
    }

    @Test
    void transfersBuffersAndPorts() {
        cases.body("transferBuffer.detached", equalTo(0))
                .body("transferBuffer.bytes", contains(1, 2, 3))
                .body("transferBuffer.detached2", equalTo(true))
                .body("transferBuffer.bytes2", contains(4))
                .body("transferPort.ports", equalTo(1))
                .body("transferPort.isPort", equalTo(true))
                .body("transferPort.notSame", equalTo(true))
                .body("transferPort.data", equalTo("port"))
                .body("transferPort.reply", equalTo("through the moved port"))
                .body("transferPort.againTransfer", equalTo("DataCloneError"))
                .body("doomed.log", empty())
                .body("doomed.port2Detached", equalTo("DataCloneError"))
                .body("structuredCloneMovesPort.isPort", equalTo(true))
                .body("structuredCloneMovesPort.data", equalTo("to the clone"));
    }

    @Test
    void rejectsWhatCannotBeClonedOrTransferred() {
        cases.body("errors.symbol", equalTo("DataCloneError"))
                .body("errors.fn", equalTo("DataCloneError"))
                .body("errors.portNotTransferred", equalTo("DataCloneError"))
                .body("errors.self", equalTo("DataCloneError"))
                .body("errors.notTransferable", equalTo("DataCloneError"))
                .body("errors.badTransfer", equalTo("TypeError"))
                .body("errors.noArgs", equalTo("TypeError"))
                .body("errors.construct", equalTo("TypeError"))
                .body("errors.brand", equalTo("TypeError"))
                .body("errors.withoutNew", equalTo("TypeError"));
    }

    @Test
    void messageEventHasTheHtmlShape() {
        cases.body("messageEventConstructor.data", equalTo(1))
                .body("messageEventConstructor.origin", equalTo("https://a.example"))
                .body("messageEventConstructor.lastEventId", equalTo("7"))
                .body("messageEventConstructor.source", equalTo(true))
                .body("messageEventConstructor.ports", equalTo(true))
                .body("messageEventConstructor.trusted", equalTo(false))
                .body("messageEventConstructor.plain", contains(null, "", "", null, 0))
                .body("messageEventConstructor.badSource", equalTo("TypeError"))
                .body("messageEventConstructor.noType", equalTo("TypeError"))
                .body("messageEventConstructor.isEvent", equalTo(true))
                .body("globals.MessageChannel", equalTo("true/false/true"))
                .body("globals.MessagePort", equalTo("true/false/true"))
                .body("globals.MessageEvent", equalTo("true/false/true"))
                .body("globals.portProto", equalTo(true))
                .body("globals.onmessageEnumerable", equalTo(true));
    }

    @Test
    void aPortMadeAtTopLevelServesLaterRequests() {
        given().header("Host", "messaging.test").get("/?case=sharedPort").then().statusCode(200)
                .body("count", greaterThanOrEqualTo(1));
    }
}
