package dev.breakglass.functions;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Removes credentials from every log record the app writes (TESTS.md H3): bearer tokens, function keys
 * ({@code code=}), SAS signatures ({@code sig=}), client secrets and OAuth tokens, whether in a URL, a header
 * echoed into a message, a parameter or an exception's message.
 *
 * <p>It is a {@link Filter} that rewrites the record and lets it through, because the loggers the app writes
 * to are not the app's: the Java worker hands each invocation a fresh JUL logger ({@link
 * ExecutionContext#getLogger()}) whose handlers ship records to the host, so a handler or formatter of ours
 * would never see them. A logger's filter runs before any handler, its own or its parents'
 * ({@link Logger#log(LogRecord)}), so rewriting there covers every sink.
 */
final class LogRedaction implements Filter {

    static final String REDACTED = "[REDACTED]";
    private static final LogRedaction INSTANCE = new LogRedaction();
    /** {@code Bearer <token>} in a header or text; RFC 6750 b64token characters. */
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    /** Query or form parameters that carry a credential, in a URL or as {@code name=value} text. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:^|[?&;,\\s\"'])(?:code|sig|client_secret|access_token|refresh_token|id_token|password"
                    + "|x-functions-key|x-ms-client-principal)\"?\\s*[=:]\\s*\"?)[^&\\s\"',;]+");

    private LogRedaction() {
    }

    /** The invocation's logger with redaction installed; use it instead of {@code context.getLogger()}. */
    static Logger logger(ExecutionContext context) {
        return install(context.getLogger());
    }

    /** Installs redaction on {@code logger} (once), keeping a filter it already had. */
    static Logger install(Logger logger) {
        Filter existing = logger.getFilter();
        if (existing != INSTANCE && !(existing instanceof Chained)) {
            logger.setFilter(existing == null ? INSTANCE : new Chained(existing));
        }
        return logger;
    }

    /** {@code text} with every credential replaced by {@link #REDACTED}; null stays null. */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String withoutBearer = BEARER.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
        return SECRET_PARAMETER.matcher(withoutBearer).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        record.setMessage(redact(record.getMessage()));
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            Object[] redacted = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                redacted[i] = parameters[i] == null ? null : redact(String.valueOf(parameters[i]));
            }
            record.setParameters(redacted);
        }
        if (record.getThrown() != null) {
            record.setThrown(RedactedThrowable.of(record.getThrown()));
        }
        return true;
    }

    /** Redaction first, then the filter the logger already had. */
    private record Chained(Filter next) implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return INSTANCE.isLoggable(record) && next.isLoggable(record);
        }
    }

    /**
     * An exception as logged: its class name and redacted message, its stack trace and its redacted causes.
     * A copy, because an exception's message cannot be changed and the original may still be thrown.
     */
    static final class RedactedThrowable extends RuntimeException {

        private static final int MAX_CAUSES = 16;

        private RedactedThrowable(String message, RedactedThrowable cause, StackTraceElement[] stack) {
            super(message, cause, false, true);
            setStackTrace(stack);
        }

        static RedactedThrowable of(Throwable thrown) {
            return of(thrown, 0);
        }

        /** Causes are followed a bounded depth: a cause chain can be a cycle. */
        private static RedactedThrowable of(Throwable thrown, int depth) {
            if (thrown instanceof RedactedThrowable already) {
                return already;
            }
            RedactedThrowable cause = thrown.getCause() == null || thrown.getCause() == thrown || depth >= MAX_CAUSES
                    ? null : of(thrown.getCause(), depth + 1);
            return new RedactedThrowable(thrown.getClass().getName() + ": " + redact(thrown.getMessage()), cause,
                    thrown.getStackTrace());
        }
    }
}
