package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.TestTenant;
import java.io.IOException;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timer and the status endpoints: observe-only, stored, logged as the event line the drift and heartbeat alerts
 * query (E8), never overlapping (E6), heal only with remediation.
 */
class VerifyFunctionIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTenant tenant;
    private FunctionsApp app;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void theTimerObservesOnlyStoresTheReportAndStatusServesItAsJsonOrMarkdown() throws IOException {
        app = FunctionsTestApp.start(tenant).app();
        VerifyFunction function = new VerifyFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);

        assertThat(function.latest(FakeHttp.request(HttpMethod.GET, "/api/status"), FunctionsHost.context())
                .getStatusCode()).isEqualTo(404);
        List<String> logged;
        try (LogCapture capture = LogCapture.start()) {
            function.onSchedule("{}", FunctionsHost.context());
            logged = capture.lines();
        }

        assertThat(logged).as("the event line the App Insights alerts query").anySatisfy(line ->
                assertThat(line).matches("breakglass\\.verify outcome=Drifted checks=\\d+ .* drift=[1-9]\\d*"));
        assertThat(tenant.fake().journal().writes()).isEmpty();
        HttpResponseMessage status = function.latest(FakeHttp.request(HttpMethod.GET, "/api/status"),
                FunctionsHost.context());
        JsonNode report = JSON.readTree((String) status.getBody());
        assertThat(report.get("checks").findValuesAsText("id")).contains("BG.1003");
        assertThat(report.get("checks").findValuesAsText("status")).contains("Failed");
        HttpResponseMessage markdown = function.latest(FakeHttp.request(HttpMethod.GET, "/api/status")
                .query("format", "markdown"), FunctionsHost.context());
        assertThat((String) markdown.getBody()).startsWith("| ID | Target | Status | Check | Detail |");
    }

    @Test
    void aVerificationDoesNotStartWhileAnotherHoldsTheLock() {
        app = FunctionsTestApp.start(tenant).app();
        app.store().lock("verify", "another-instance", Instant.now().plus(Duration.ofMinutes(5)), holder -> true);

        HttpResponseMessage response = new VerifyFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY).verifyNow(
                FakeHttp.request(HttpMethod.POST, "/api/verify"), FunctionsHost.context());

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(tenant.fake().journal().entries()).isEmpty();
    }

    @Test
    void withRemediationOnDriftStartsAProvisioningRunThatHealsIt() {
        tenant.set(Setting.REMEDIATION, "true");
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        FunctionsHost host = functions.host();

        new VerifyFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY).onSchedule("{}", FunctionsHost.context());
        host.runUntilIdle(Duration.ofMinutes(5));

        assertThat(tenant.custodiansRegisterKeysAndDrill().verify().allPassed()).isTrue();
    }

    /** BG.1011/BG.1012 fail until people act; a run could not change that, so remediation does not start one. */
    @Test
    void withRemediationOnFailuresOnlyPeopleCanFixStartNoRun() {
        tenant.set(Setting.REMEDIATION, "true");
        assertThat(tenant.apply().succeeded()).isTrue();
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        FunctionsHost host = functions.host();
        tenant.fake().journal().clear();

        new VerifyFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY).onSchedule("{}", FunctionsHost.context());

        var report = tenant.verify();
        assertThat(report.allPassed()).as("passkey readiness waits for people").isFalse();
        assertThat(report.problems()).extracting(check -> check.id()).containsOnly("BG.1011");
        assertThat(report.healable()).isFalse();
        assertThat(app.runs().active()).as("no provisioning run started").isEmpty();
        assertThat(host.stepsQueue().peekMessages(32, null, null)).as("nothing enqueued").isEmpty();
        assertThat(tenant.fake().journal().writes()).as("nothing written to the tenant").isEmpty();
    }
}
