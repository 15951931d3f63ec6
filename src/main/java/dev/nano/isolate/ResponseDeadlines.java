package dev.nano.isolate;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The wall-clock deadlines of one slot's open requests: the response head within the app's
 * {@code response-timeout}, then {@code ctx.waitUntil} work within as long again.
 *
 * <p>Every request of a slot has the same timeout, so appending at the tail keeps the list in
 * deadline order: one scheduled check at the head's deadline serves them all, and a request
 * that answers unlinks itself in O(1). That costs a hello request two pointer writes instead of
 * a scheduled task of its own.
 *
 * <p><b>Concurrency:</b> used only on the slot's event loop.
 */
final class ResponseDeadlines {

    private final EventExecutor loop;
    private final long timeoutNanos;
    private RequestScope head;
    private RequestScope tail;
    private ScheduledFuture<?> check;

    ResponseDeadlines(EventExecutor loop, long timeoutNanos) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Starts (or restarts) the scope's deadline at now + timeout. */
    void track(RequestScope scope) {
        if (scope.deadlineLinked) {
            untrack(scope);
        }
        scope.deadlineNanos = System.nanoTime() + timeoutNanos;
        scope.deadlineLinked = true;
        scope.deadlinePrevious = tail;
        scope.deadlineNext = null;
        if (tail == null) {
            head = scope;
        } else {
            tail.deadlineNext = scope;
        }
        tail = scope;
        if (check == null) {
            scheduleCheck(scope.deadlineNanos);
        }
    }

    void untrack(RequestScope scope) {
        if (!scope.deadlineLinked) {
            return;
        }
        RequestScope previous = scope.deadlinePrevious;
        RequestScope next = scope.deadlineNext;
        if (previous == null) {
            head = next;
        } else {
            previous.deadlineNext = next;
        }
        if (next == null) {
            tail = previous;
        } else {
            next.deadlinePrevious = previous;
        }
        scope.deadlinePrevious = null;
        scope.deadlineNext = null;
        scope.deadlineLinked = false;
    }

    private void scheduleCheck(long atNanos) {
        check = loop.schedule(this::expire, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        check = null;
        long now = System.nanoTime();
        while (head != null && head.deadlineNanos - now <= 0) {
            RequestScope expired = head;
            untrack(expired);
            expired.deadlinePassed();
        }
        if (head != null) {
            scheduleCheck(head.deadlineNanos);
        }
    }

    /** Drops the pending check; the slot is closing. */
    void close() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        head = null;
        tail = null;
    }
}
