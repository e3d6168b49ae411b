package dev.breakglass.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every record that reaches the root logger while open: what the Functions host would ship to its log sinks. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Each record as an operator would read it: message, parameters and the whole thrown chain. */
    public List<String> lines() {
        return records().stream().map(LogCapture::text).toList();
    }

    /** The raw messages one logger (and its children) wrote, in order. */
    public List<String> messages(String loggerName) {
        return records().stream()
                .filter(record -> record.getLoggerName() != null && record.getLoggerName().startsWith(loggerName))
                .map(LogRecord::getMessage).toList();
    }

    private static String text(LogRecord record) {
        StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                text.append(' ').append(parameter);
            }
        }
        for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
            text.append(' ').append(thrown);
            if (thrown.getCause() == thrown) {
                break;
            }
        }
        return text.toString();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
