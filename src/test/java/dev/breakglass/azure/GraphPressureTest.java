package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.reliability.Covers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GraphPressureTest {

    private Instant now = Instant.parse("2026-11-26T03:00:00Z");
    private final GraphPressure pressure = new GraphPressure(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    @Covers(value = "C11", proves = "A throttle warning of 0.8 or more puts Graph requests one at a time and logs "
            + "'breakglass.throttle percentage=0.9 concurrency=1' once; each further warning extends it; after a quiet "
            + "period without one, concurrency is back and that is logged too; values under 0.8 or not numbers change nothing")
    void aWarningReducesConcurrencyUntilAQuietPeriodPasses() {
        try (LogCapture capture = LogCapture.start()) {
            pressure.observed("0.79");
            pressure.observed("not a number");
            assertThat(pressure.reduced()).isFalse();

            pressure.observed("0.9");
            now = now.plus(GraphPressure.QUIET_PERIOD.minusSeconds(1));
            pressure.observed("1.2");
            now = now.plus(GraphPressure.QUIET_PERIOD.minusSeconds(1));
            assertThat(pressure.reduced()).as("the second warning extended the reduction").isTrue();

            now = now.plus(Duration.ofSeconds(2));
            assertThat(pressure.reduced()).isFalse();
            assertThat(capture.messages("dev.breakglass.throttle")).containsExactly(
                    "breakglass.throttle percentage=0.9 concurrency=1",
                    "breakglass.throttle percentage=none concurrency=unlimited quietFor=30s");
        }
    }
}
