package dev.breakglass.steps.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.TestTenant;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ValidationDrill} through the real Graph SDK against the fake's {@code signInActivity}: within the window
 * Passed, older or never Failed with the date, no licence or no permission Skipped with the reason, an outage Error.
 * The engine's clock is fixed, so "days ago" is exact.
 */
class ValidationDrillIT {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final String BY_ID = "/v1.0/users/[0-9a-f-]{36}";

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("signed in 10 days ago → Passed", premium(), signedIn(10), CheckStatus.Passed,
                        "2026-11-10T12:00:00Z (10 days ago), within the 90-day window"),
                Arguments.of("signed in 120 days ago → Failed with the date", premium(), signedIn(120), CheckStatus.Failed,
                        "last successful sign-in 2026-07-23T12:00:00Z (120 days ago), older than the 90-day window"),
                Arguments.of("never signed in → Failed", premium(), nothing(), CheckStatus.Failed, "never signed in"),
                Arguments.of("a 30-day window, 40 days ago → Failed", premium(),
                        signedIn(40).andThen((tenant, id) -> tenant.set(Setting.DRILL_WINDOW_DAYS, "30")),
                        CheckStatus.Failed, "older than the 30-day window"),
                Arguments.of("no P1 or P2 licence → Skipped NotLicensed", TenantSeed.minimal(), signedIn(10),
                        CheckStatus.Skipped, "NotLicensed"),
                Arguments.of("no AuditLog.Read.All → Skipped NotAuthorized", premium(), signedIn(10).andThen((tenant, id) ->
                        tenant.fake().faults().on("GET", BY_ID).always().error(403, "Authorization_RequestDenied",
                                "Insufficient privileges to complete the operation.")),
                        CheckStatus.Skipped, "NotAuthorized"),
                Arguments.of("Graph unavailable → Error, never Passed", premium(), signedIn(10).andThen((tenant, id) ->
                        tenant.fake().faults().on("GET", BY_ID).always().serverError(503)), CheckStatus.Error, "503"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reportsTheLastSuccessfulSignInAgainstTheWindow(String reason, TenantSeed seed,
            BiConsumer<TestTenant, String> given, CheckStatus status, String detail) {
        try (TestTenant tenant = TestTenant.start(seed).set(Setting.ACCOUNT_COUNT, "1").withoutMonitoring()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))) {
            tenant.applyBefore("ValidationDrill");
            String userId = tenant.fake().state().user("bg01@" + tenant.fake().initialDomain()).orElseThrow()
                    .get("id").asText();
            given.accept(tenant, userId);
            tenant.fake().journal().clear();

            CheckResult result = tenant.verify().checks().stream()
                    .filter(check -> check.id().equals("BG.1012")).findFirst().orElseThrow();

            assertThat(result.status()).isEqualTo(status);
            assertThat(result.detail()).contains(detail);
            assertThat(tenant.fake().journal().writes()).as("a drill check never writes").isEmpty();
        }
    }

    private static BiConsumer<TestTenant, String> signedIn(int daysAgo) {
        return (tenant, userId) -> tenant.fake().state().recordSignIn(userId, NOW.minus(Duration.ofDays(daysAgo)));
    }

    private static BiConsumer<TestTenant, String> nothing() {
        return (tenant, userId) -> { };
    }

    /** The minimal tenant with an Entra ID P1 licence. */
    static TenantSeed premium() {
        String json = "{\"initialDomain\":\"fabrikam.onmicrosoft.com\",\"subscribedSkus\":[{\"skuPartNumber\":\"AAD_PREMIUM\","
                + "\"servicePlans\":[\"AAD_PREMIUM\"]}]}";
        return TenantSeed.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
