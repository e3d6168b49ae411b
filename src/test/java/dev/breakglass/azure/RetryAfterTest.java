package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** C3: Retry-After values that have crashed or stalled clients before. */
class RetryAfterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "''{0}'' → {1} ms ({2})")
    @CsvSource(delimiter = '|', value = {
        "3|3000|integer seconds",
        "2.128|2128|fractional seconds, as Graph's docs show",
        "0.0001|1|a sliver still waits",
        "Wed, 25 Nov 2026 12:00:05 GMT|5000|HTTP-date in the future",
        "3, 5|3000|header repeated: the first value",
    })
    void parsesUsableWaits(String header, long millis, String reason) {
        assertThat(RetryAfter.parse(header, NOW)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "''{0}'' → absent ({1})")
    @CsvSource(delimiter = '|', value = {
        "Wed, 25 Nov 2026 11:59:00 GMT|HTTP-date in the past",
        "-1|negative",
        "0|zero",
        "soon|not a number or date",
        "NaN|not finite",
        "' '|blank",
    })
    void fallsBackWhenTheValueIsNotAUsableWait(String header, String reason) {
        assertThat(RetryAfter.parse(header, NOW)).isEmpty();
    }
}
