package dev.nano;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Collects the records of one logger while a test runs, with their MDC fields. */
public final class LogCapture extends Handler implements AutoCloseable {

    /** A captured record: its formatted message, the MDC fields NANO set, and the thread that logged it. */
    public record Captured(String level, String message, java.util.Map<String, String> fields, String thread) {
    }

    private final Logger logger;
    private final List<Captured> records = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    public List<Captured> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        java.util.Map<String, String> fields = record instanceof ExtLogRecord ext ? ext.getMdcCopy() : java.util.Map.of();
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String thread = record instanceof ExtLogRecord ext ? ext.getThreadName() : Thread.currentThread().getName();
        records.add(new Captured(record.getLevel().getName(), message, fields, thread));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
