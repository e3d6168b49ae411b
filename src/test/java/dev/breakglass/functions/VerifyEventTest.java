package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.DriftReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The verification event line, and the App Insights alert queries in infra/modules/alerts.bicep that read it. */
class VerifyEventTest {

    private static final String UPN = "bg01@contoso.onmicrosoft.com";
    private static final String CANARY = "Zq9!CANARY-verify-event";

    private static final DriftReport DRIFTED = new DriftReport(Instant.parse("2026-01-01T00:00:00Z"), List.of(
            check(CheckStatus.Passed), check(CheckStatus.Passed), check(CheckStatus.Failed), check(CheckStatus.Error),
            check(CheckStatus.Skipped)));

    @Test
    void countsEachVerdictAndCallsFailedAndUncheckedDrift() {
        assertThat(VerifyEvent.line(DRIFTED))
                .isEqualTo("breakglass.verify outcome=Drifted checks=5 passed=2 failed=1 errors=1 skipped=1 drift=2");
    }

    @Test
    void nothingFailedButSomethingUncheckedIsAnErrorOutcome() {
        DriftReport report = new DriftReport(Instant.EPOCH, List.of(check(CheckStatus.Passed), check(CheckStatus.Error)));

        assertThat(VerifyEvent.line(report)).contains("outcome=Error").endsWith("drift=1");
    }

    @Test
    void aCleanVerificationIsPassedWithNoDrift() {
        DriftReport report = new DriftReport(Instant.EPOCH, List.of(check(CheckStatus.Passed), check(CheckStatus.Skipped)));

        assertThat(VerifyEvent.line(report)).contains("outcome=Passed").endsWith("drift=0");
    }

    @Test
    void carriesNoTargetIdTitleOrDetail() {
        assertThat(VerifyEvent.line(DRIFTED)).doesNotContain(UPN).doesNotContain(CANARY).doesNotContain("BG.10");
    }

    @Test
    void theAlertQueriesSelectTheLineAndReadItsDriftCount() throws IOException {
        String alerts = Files.readString(Path.of("infra/modules/alerts.bicep"));
        Matcher events = Pattern.compile("var verifyEvents = 'traces \\| where message startswith \"([^\"]*)\"'")
                .matcher(alerts);
        Matcher drift = Pattern.compile("extract\\(@\"((?:[^\"])*)\", 1, message\\)").matcher(alerts);

        assertThat(events.find()).as("alerts.bicep selects the verification events by prefix").isTrue();
        assertThat(events.group(1)).isEqualTo(VerifyEvent.PREFIX);
        assertThat(drift.find()).as("the drift alert extracts the drift count").isTrue();
        Matcher count = Pattern.compile(drift.group(1).replace("\\\\", "\\")).matcher(VerifyEvent.line(DRIFTED));
        assertThat(count.find()).isTrue();
        assertThat(count.group(1)).isEqualTo("2");
    }

    /** A sampled-away event line would fire the heartbeat alert, or hide drift. */
    @Test
    void traceTelemetryIsNeverSampled() throws IOException {
        var host = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Path.of("host.json").toFile());

        assertThat(List.of(host.at("/logging/applicationInsights/samplingSettings/excludedTypes").asText().split(";")))
                .as("host.json sampling excludedTypes").contains("Trace");
    }

    private static CheckResult check(CheckStatus status) {
        return new CheckResult("BG.1003", "The account exists", UPN, status, "detail naming " + UPN + " and " + CANARY);
    }
}
