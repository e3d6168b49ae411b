package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** C11: Graph's throttle warning header on successful responses, through the real Graph SDK and the fake tenant. */
class GraphPressureIT {

    private static final String GRAPH = "/(v1\\.0|beta)/.*";
    /** Enough for requests sent side by side to overlap at the fake, measurably. */
    private static final Duration LATENCY = Duration.ofMillis(15);

    @Test
    @Covers(value = "C11", proves = "With x-ms-throttle-limit-percentage: 0.9 on every successful Graph response, a "
            + "whole in-process provisioning run completes with at most one Graph request in flight and no 429, and "
            + "'breakglass.throttle percentage=0.9 concurrency=1' is logged; the same run without the header has "
            + "several Graph requests in flight at once")
    void underTheThrottleWarningGraphRequestsGoOneAtATimeAndTheRunCompletes() {
        int withoutWarning;
        try (TestTenant calm = TestTenant.start(TenantSeed.minimal())) {
            calm.fake().latency(LATENCY);
            assertThat(calm.apply().succeeded()).isTrue();
            withoutWarning = calm.fake().journal().maxInFlight(GRAPH);
        }
        try (LogCapture capture = LogCapture.start();
                TestTenant warned = TestTenant.start(TenantSeed.minimal())) {
            warned.fake().latency(LATENCY).graphThrottleLimitPercentage("0.9");
            warned.observe("TenantInfo", null); // the first answer carries the warning
            warned.fake().journal().clear();
            Ledger.faultsInjected(1);

            assertThat(warned.apply().succeeded()).isTrue();

            Journal journal = warned.fake().journal();
            assertThat(journal.count("*", GRAPH)).isGreaterThan(10);
            assertThat(journal.maxInFlight(GRAPH)).isEqualTo(1);
            assertThat(journal.entries()).noneSatisfy(entry -> assertThat(entry.status()).isEqualTo(429));
            assertThat(capture.messages("dev.breakglass.throttle"))
                    .contains("breakglass.throttle percentage=0.9 concurrency=1");
            Ledger.runCompleted();
        }
        assertThat(withoutWarning).as("the same run, unwarned, sends requests side by side").isGreaterThan(1);
    }
}
