package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ReadableStream, WritableStream and TransformStream as an app sees them
 * (src/test/resources/apps/streams). Expected values follow the WHATWG Streams Standard; the
 * WPT streams suite covers the finer orderings. Known departures: tee() never structured-clones
 * (cloneForBranch2 is for internal callers only), and the tentative "owning" stream type is
 * not supported.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class StreamsTest {

    @BeforeEach
    void awaitReady() {
        NanoTest.awaitReady();
    }

    /** Runs the named cases of the app in one request. */
    private static ValidatableResponse run(String... names) {
        return given().header("Host", "streams.test").queryParam("cases", String.join(",", names))
                .get("/").then().statusCode(200);
    }

    @Test
    void defaultStreamsReadCloseCancelAndError() {
        run("defaultReadAndClose", "defaultCancel", "defaultError", "enqueueAfterCloseThrows")
                .body("defaultReadAndClose", contains(contains("a", false), contains("b", false), contains(null, true)))
                .body("defaultCancel", contains("cancel:why", null, true))
                .body("defaultError[0].error", equalTo("error1"))
                .body("defaultError[1].error", equalTo("error1"))
                .body("defaultError[2].error", equalTo("error1"))
                .body("defaultError[3]", nullValue())
                .body("enqueueAfterCloseThrows", equalTo("TypeError"));
    }

    @Test
    void pullsOnlyWhenTheQueueIsBelowTheHighWaterMark() {
        run("backpressure", "sizeStrategy")
                .body("backpressure.afterStart", contains(1, 2))
                .body("backpressure.whenFull", contains(2, 0))
                .body("backpressure.afterRead", contains(3, 1))
                .body("sizeStrategy", contains(6, -1));
    }

    @Test
    void byteStreamsFillTheReadersBuffers() {
        run("byobRespond", "byobRespondWithNewView", "byobReadMinAndQueue", "byteStreamDefaultReader",
                "byteStreamAutoAllocate")
                .body("byobRespond.bytes", contains(1, 2, 3))
                .body("byobRespond.done", equalTo(false))
                .body("byobRespond.byteLength", equalTo(3))
                .body("byobRespond.bufferSize", equalTo(8))
                .body("byobRespond.originalDetached", equalTo(true))
                .body("byobRespond.tag", equalTo("[object ReadableStreamBYOBReader]"))
                .body("byobRespondWithNewView.type", equalTo("Uint16Array"))
                .body("byobRespondWithNewView.length", equalTo(1))
                .body("byobRespondWithNewView.bytes", contains(9, 8))
                .body("byobReadMinAndQueue.first", contains(1, 2, 3, 4, 5))
                .body("byobReadMinAndQueue.endDone", equalTo(true))
                .body("byobReadMinAndQueue.endLength", equalTo(0))
                .body("byteStreamDefaultReader.chunks", contains(contains(5, 6, 7)))
                .body("byteStreamDefaultReader.enqueuedDetached", equalTo(true))
                .body("byteStreamAutoAllocate", contains(equalTo(16), contains(42)));
    }

    @Test
    void teeGivesBothBranchesEveryChunkAndCancelsTheSourceOnceBothCancel() {
        run("tee", "teeCancelBoth", "byteTee")
                .body("tee", contains(contains("x", "y"), contains("x", "y"), equalTo(true)))
                .body("teeCancelBoth.reason", contains("r1", "r2"))
                .body("teeCancelBoth.settledBeforeSecond", equalTo(false))
                .body("byteTee.a", contains(contains(1, 2), contains(3)))
                .body("byteTee.b", contains(contains(1, 2), contains(3)))
                .body("byteTee.sameBuffer", equalTo(false));
    }

    @Test
    void pipeToHonoursEachPreventFlagAndTheSignal() {
        run("pipeToDefault", "pipeToPreventClose", "pipeToPreventAbort", "pipeToPreventCancel", "pipeToAbortedSignal",
                "pipeToLocked")
                .body("pipeToDefault", contains("write:a", "write:b", "close"))
                .body("pipeToPreventClose", contains("write:a", false))
                .body("pipeToPreventAbort.false", contains("error1", "abort:error1"))
                .body("pipeToPreventAbort.true", contains("error1"))
                .body("pipeToPreventCancel.false", contains("error1", "cancel:error1"))
                .body("pipeToPreventCancel.true", contains("error1"))
                .body("pipeToAbortedSignal", contains("error1", "abort:error1", "cancel:error1"))
                .body("pipeToLocked.error", contains("TypeError", "TypeError"));
    }

    @Test
    void pipeThroughATransformStream() {
        run("pipeThrough", "transformTerminate")
                .body("pipeThrough", contains("HELLO", "WORLD", "!"))
                .body("transformTerminate[0]", contains("only"))
                .body("transformTerminate[1].error", equalTo("TypeError"));
    }

    @Test
    void writableStreamsApplyBackpressureThroughReady() {
        run("writableBackpressure", "writableErrorAndAbort", "writableClose")
                .body("writableBackpressure.log", contains("write:a"))
                .body("writableBackpressure.sizes", contains(1, 0, 1))
                .body("writableBackpressure.readyWhileWriting", equalTo(false))
                .body("writableBackpressure.readyAfter", equalTo(true))
                .body("writableErrorAndAbort.abort.ok", nullValue())
                .body("writableErrorAndAbort.write.error", equalTo("error1"))
                .body("writableErrorAndAbort.closed.error", equalTo("error1"))
                .body("writableErrorAndAbort.log", contains("abort:error1"))
                .body("writableClose", contains(equalTo("write:1"), equalTo("close"),
                        equalTo(java.util.Map.of("error", "TypeError"))));
    }

    @Test
    void readableStreamFromIterables() {
        run("fromSyncIterable", "fromAsyncIterable", "fromNotIterable")
                .body("fromSyncIterable", contains(1, 2, 3))
                .body("fromAsyncIterable", contains("a", "b"))
                .body("fromNotIterable", equalTo("TypeError"));
    }

    @Test
    void asyncIterationReleasesTheLockAndCancelsUnlessPrevented() {
        run("asyncIterationBreak", "asyncIterationPreventCancel", "asyncIteratorReturn")
                .body("asyncIterationBreak.seen", contains(1, 2))
                .body("asyncIterationBreak.log", contains("cancel:undefined"))
                .body("asyncIterationBreak.locked", equalTo(false))
                .body("asyncIterationPreventCancel.log", empty())
                .body("asyncIterationPreventCancel.locked", equalTo(false))
                .body("asyncIterationPreventCancel.rest", equalTo(2))
                .body("asyncIteratorReturn.result.value", equalTo("done"))
                .body("asyncIteratorReturn.result.done", equalTo(true))
                .body("asyncIteratorReturn.locked", equalTo(false))
                .body("asyncIteratorReturn.next.done", equalTo(true))
                .body("asyncIteratorReturn.tag", equalTo("[object ReadableStream AsyncIterator]"));
    }

    @Test
    void lockedStreamsRefuseASecondReaderOrWriter() {
        run("lockingErrors")
                .body("lockingErrors", contains("TypeError", "TypeError", "TypeError", false, "TypeError", "TypeError",
                "TypeError"));
    }

    @Test
    void queuingStrategiesAndBadStrategies() {
        run("queuingStrategies", "badStrategy")
                .body("queuingStrategies.bytes", contains(16, 5, "size", true))
                .body("queuingStrategies.count", contains(2, 1))
                .body("queuingStrategies.missing", equalTo("TypeError"))
                .body("badStrategy", contains("RangeError", "RangeError", "TypeError", "RangeError"));
    }

    @Test
    void interfacesHaveTheirWebIdlShape() {
        run("webidlShape", "patchedPromiseThen")
                .body("webidlShape.global", contains(true, false, true))
                .body("webidlShape.tags", containsInAnyOrder("[object ReadableStream]", "[object WritableStream]",
                        "[object TransformStream]"))
                .body("webidlShape.asyncIterator", equalTo(true))
                .body("webidlShape.fromEnumerable", equalTo(true))
                .body("webidlShape.illegal", contains("TypeError", "TypeError", "TypeError", "TypeError", "TypeError"))
                .body("webidlShape.brand", equalTo("TypeError"))
                .body("patchedPromiseThen.value", equalTo("x"))
                .body("patchedPromiseThen.callsDuringRead", equalTo(0));
    }
}
