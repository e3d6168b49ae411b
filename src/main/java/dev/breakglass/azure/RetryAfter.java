package dev.breakglass.azure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses a Retry-After header without trusting it: Graph sends fractional seconds ("2.128",
 * https://learn.microsoft.com/graph/throttling#sample-response), RFC 9110 allows an HTTP-date, and
 * a date in the past or a malformed value must not turn into a negative sleep. Anything that is
 * not a usable future wait is "absent", so callers fall back to their own backoff.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.contains(",") ? header.substring(0, header.indexOf(',')).trim() : header.trim();
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && Double.isFinite(seconds)) {
                return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            return parseDate(header.trim(), clock);
        }
    }

    private static Optional<Duration> parseDate(String value, Clock clock) {
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(Instant.now(clock), at);
            return wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(wait);
        } catch (DateTimeParseException notDate) {
            return Optional.empty();
        }
    }
}
