package dev.breakglass.steps.actiongroup;

import static dev.breakglass.testing.StepTable.tenantRow;
import static dev.breakglass.testing.StepTable.upToDateWritesNothing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.TestTenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The action group, row by row, asserting its final state in the fake. Covers E2 (the action group emptied, the email
 * receiver removed: detected and healed), a receiver added outside breakglass, and C6 (a 429 with Retry-After: 12 on
 * the PUT is waited out, not retried early).
 */
class ActionGroupIT {

    private static final String STEP = "ActionGroup";
    private static final String NAME = "breakglass-alerts";
    private static final String LOGIC_APP = "/subscriptions/0a0a0a0a-0000-4000-8000-000000000002/resourceGroups/rg-soc/"
            + "providers/Microsoft.Logic/workflows/page-oncall";

    static Stream<Arguments> rows() {
        return Stream.of(
                tenantRow("absent → created, enabled, with the configured email receiver", tenant -> { },
                        (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    JsonNode group = group(tenant);
                    assertThat(group.at("/properties/enabled").asBoolean()).isTrue();
                    assertThat(group.at("/properties/groupShortName").asText()).isEqualTo("breakglass");
                    assertThat(group.get("location").asText()).isEqualTo("Global");
                    assertThat(group.at("/properties/emailReceivers")).singleElement().satisfies(email -> {
                        assertThat(email.get("name").asText()).isEqualTo("email-1");
                        assertThat(email.get("emailAddress").asText()).isEqualTo("soc@fabrikam.onmicrosoft.com");
                        assertThat(email.get("useCommonAlertSchema").asBoolean()).isTrue();
                    });
                }),
                tenantRow("every kind of receiver configured → each written", tenant -> {
                    tenant.set(Setting.ALERT_SMS, "+1 5551234567");
                    tenant.set(Setting.ALERT_WEBHOOKS, "https://hooks.example.com/alert?sig=abc");
                    tenant.set(Setting.ALERT_LOGIC_APPS, LOGIC_APP + " https://prod-27.logic.azure.com/workflows/x?sig=def");
                }, (tenant, outcome) -> {
                    JsonNode properties = group(tenant).get("properties");
                    assertThat(properties.at("/smsReceivers/0/countryCode").asText()).isEqualTo("1");
                    assertThat(properties.at("/smsReceivers/0/phoneNumber").asText()).isEqualTo("5551234567");
                    assertThat(properties.at("/webhookReceivers/0/serviceUri").asText()).endsWith("sig=abc");
                    assertThat(properties.at("/logicAppReceivers/0/resourceId").asText()).isEqualTo(LOGIC_APP);
                    assertThat(properties.at("/logicAppReceivers/0/callbackUrl").asText()).endsWith("sig=def");
                    assertThat(receiverNames(tenant)).containsExactly("email-1", "sms-1", "webhook-1", "logicapp-1");
                    assertThat(outcome.toString()).doesNotContain("sig=");
                }),
                upToDateWritesNothing(),
                tenantRow("run twice → one group", tenant -> tenant.runToEnd(STEP, null), (tenant, outcome) ->
                        assertThat(tenant.fake().state().actionGroups()).hasSize(1)),
                tenantRow("E2: emptied → detected, receivers restored", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().emptyActionGroup(NAME);
                    assertFailedWith(tenant, "it has no receivers");
                }, (tenant, outcome) -> assertThat(receiverNames(tenant)).containsExactly("email-1")),
                tenantRow("a receiver added to the configuration → written", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.set(Setting.ALERT_EMAILS, "soc@fabrikam.onmicrosoft.com, ciso@fabrikam.onmicrosoft.com");
                    assertFailedWith(tenant, "receiver email-2 is missing");
                }, (tenant, outcome) -> assertThat(receiverNames(tenant)).containsExactly("email-1", "email-2")),
                tenantRow("a receiver added outside breakglass → reported and removed", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().addEmailReceiver(NAME, "eve", "eve@example.com");
                    assertFailedWith(tenant, "receiver 'eve' was added outside breakglass");
                }, (tenant, outcome) -> assertThat(receiverNames(tenant)).containsExactly("email-1")),
                tenantRow("a voice receiver added outside breakglass → reported and removed", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().editActionGroup(NAME, group -> group.withArray("/properties/voiceReceivers")
                            .addObject().put("name", "mallory-phone").put("countryCode", "1").put("phoneNumber", "5550100"));
                    assertFailedWith(tenant, "receiver 'mallory-phone' was added outside breakglass");
                }, (tenant, outcome) -> {
                    assertThat(group(tenant).at("/properties/voiceReceivers")).isEmpty();
                    assertThat(receiverNames(tenant)).containsExactly("email-1");
                }),
                tenantRow("the resource group does not exist → terminal, named", tenant ->
                        tenant.set(Setting.MONITORING_RESOURCE_GROUP, "rg-missing"), (tenant, outcome) ->
                        assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal -> {
                            assertThat(terminal.reason()).isEqualTo("ResourceGroupNotFound");
                            assertThat(terminal.message()).contains("rg-missing");
                        })),
                tenantRow("forbidden → terminal, nothing written", tenant -> tenant.fake().faults()
                        .on("PUT", "/subscriptions/.*/actionGroups/.*").always()
                        .error(403, "AuthorizationFailed", "The client does not have authorization to perform action "
                                + "'Microsoft.Insights/actionGroups/write'."), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal ->
                            assertThat(terminal.reason()).isEqualTo("AuthorizationFailed"));
                    assertThat(tenant.fake().state().actionGroups()).isEmpty();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keepsTheActionGroupNotifyingTheConfiguredReceivers(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            StepTable.play(tenant, STEP, null, given, when, then);
        }
    }

    @Test
    void c6WaitsOutA429WithRetryAfterTwelveSecondsBeforeWritingOnce() {
        List<Duration> waits = new ArrayList<>();
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).sleeper(waits::add)) {
            tenant.fake().faults().on("PUT", "/subscriptions/.*/actionGroups/.*").throttle("12");

            Outcome outcome = tenant.run(STEP, null);

            assertThat(outcome).isInstanceOf(Outcome.Done.class);
            assertThat(waits).containsExactly(Duration.ofSeconds(12));
            assertThat(tenant.fake().journal().count("PUT", "/subscriptions/.*/actionGroups/.*")).isEqualTo(2);
            assertThat(tenant.fake().state().actionGroups()).hasSize(1);
        }
    }

    @Test
    void aReadThatFailsIsAnErrorNeverAPass() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).sleeper(waits -> { })) {
            tenant.runToEnd(STEP, null);
            tenant.fake().faults().on("GET", "/subscriptions/.*/actionGroups/.*").always().serverError(500);

            CheckResult check = tenant.verify().checks().stream().filter(c -> c.id().equals("BG.1008")).findFirst()
                    .orElseThrow();

            assertThat(check.status()).isEqualTo(CheckStatus.Error);
            assertThat(check.detail()).contains("reading action group " + NAME).contains("500 InternalServerError");
        }
    }

    @Test
    void aMissingResourceGroupIsReportedAsSuchNotAsAMissingGroup() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.set(Setting.MONITORING_RESOURCE_GROUP, "rg-missing");

            CheckResult check = tenant.verify().checks().stream().filter(c -> c.id().equals("BG.1008")).findFirst()
                    .orElseThrow();

            assertThat(check.status()).isEqualTo(CheckStatus.Error);
            assertThat(check.detail()).contains("ResourceGroupNotFound").contains("rg-missing");
        }
    }

    private static void assertFailedWith(TestTenant tenant, String detail) {
        CheckResult check = tenant.verify().checks().stream().filter(c -> c.id().equals("BG.1008")).findFirst().orElseThrow();
        assertThat(check.status()).isEqualTo(CheckStatus.Failed);
        assertThat(check.detail()).contains(detail);
    }

    private static JsonNode group(TestTenant tenant) {
        return tenant.fake().state().actionGroup(NAME).orElseThrow();
    }

    private static List<String> receiverNames(TestTenant tenant) {
        JsonNode properties = group(tenant).get("properties");
        List<String> names = new ArrayList<>();
        for (String array : List.of("emailReceivers", "smsReceivers", "webhookReceivers", "logicAppReceivers")) {
            properties.get(array).forEach(receiver -> names.add(receiver.get("name").asText()));
        }
        return names;
    }
}
