package dev.breakglass.steps.diagnostics;

import static dev.breakglass.testing.StepTable.tenantRow;
import static dev.breakglass.testing.StepTable.upToDateWritesNothing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.TestTenant;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Entra diagnostic setting, row by row, asserting the fake tenant's final settings. Covers E5 (setting deleted,
 * SignInLogs dropped: detected by verify, healed by apply) and D11 (someone else's setting is never touched, and a
 * category it already sends to the workspace is not duplicated).
 */
class EntraDiagnosticSettingsIT {

    private static final String STEP = "EntraDiagnosticSettings";
    private static final String OURS = "breakglass-entra-logs";
    private static final String OTHER_WORKSPACE = "/subscriptions/00000000-0000-4000-8000-0000000000aa/resourceGroups/"
            + "rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-sentinel";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> rows() {
        return Stream.of(
                tenantRow("absent → created, sending the three categories to the workspace", tenant -> { },
                        (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    assertThat(workspaceOf(tenant, OURS)).isEqualTo(tenant.fake().workspaceId());
                    assertThat(enabledCategories(tenant, OURS)).containsExactly("SignInLogs",
                            "NonInteractiveUserSignInLogs", "AuditLogs");
                }),
                upToDateWritesNothing(),
                tenantRow("run twice → one setting", tenant -> tenant.runToEnd(STEP, null), (tenant, outcome) ->
                        assertThat(tenant.fake().state().diagnosticSettings()).hasSize(1)),
                tenantRow("E5: SignInLogs dropped → detected, restored", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().dropDiagnosticCategory(OURS, "SignInLogs");
                    assertFailedWith(tenant, "SignInLogs does not reach workspace law-breakglass");
                }, (tenant, outcome) -> assertThat(enabledCategories(tenant, OURS)).containsExactlyInAnyOrder(
                        "SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs")),
                tenantRow("E5: setting deleted → detected, recreated", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().deleteDiagnosticSetting(OURS);
                    assertFailedWith(tenant, "no diagnostic setting " + OURS);
                }, (tenant, outcome) -> assertThat(enabledCategories(tenant, OURS)).hasSize(3)),
                tenantRow("D11: another setting to another workspace → ours created, theirs untouched", tenant ->
                        tenant.fake().state().putDiagnosticSetting("sentinel", setting(OTHER_WORKSPACE, "AuditLogs",
                                "SignInLogs")), (tenant, outcome) -> {
                    assertThat(enabledCategories(tenant, OURS)).hasSize(3);
                    assertThat(tenant.fake().state().diagnosticSetting("sentinel").orElseThrow().get("properties"))
                            .isEqualTo(stored(tenant, setting(OTHER_WORKSPACE, "AuditLogs", "SignInLogs")));
                }),
                tenantRow("D11: another setting already sends AuditLogs to the workspace → not duplicated, "
                        + "theirs untouched",
                        tenant -> tenant.fake().state().putDiagnosticSetting("siem", setting(
                                tenant.fake().workspaceId(), "AuditLogs")), (tenant, outcome) -> {
                    assertThat(enabledCategories(tenant, OURS)).containsExactly("SignInLogs", "NonInteractiveUserSignInLogs");
                    assertThat(enabledCategories(tenant, "siem")).containsExactly("AuditLogs");
                    assertThat(tenant.verify().checks()).filteredOn(check -> check.id().equals("BG.1007"))
                            .singleElement().satisfies(check -> assertThat(check.detail()).contains("AuditLogs through 'siem'"));
                }),
                tenantRow("another setting sends everything → ours is not created", tenant -> tenant.fake().state()
                        .putDiagnosticSetting("siem", setting(tenant.fake().workspaceId(), "SignInLogs",
                                "NonInteractiveUserSignInLogs", "AuditLogs")), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    assertThat(tenant.fake().state().diagnosticSetting(OURS)).isEmpty();
                }),
                tenantRow("ours pointed at another workspace → pointed back", tenant -> tenant.fake().state()
                        .putDiagnosticSetting(OURS, setting(OTHER_WORKSPACE, "SignInLogs", "NonInteractiveUserSignInLogs",
                                "AuditLogs")), (tenant, outcome) -> {
                    assertThat(workspaceOf(tenant, OURS)).isEqualTo(tenant.fake().workspaceId());
                    assertThat(enabledCategories(tenant, OURS)).hasSize(3);
                }),
                tenantRow("forbidden → terminal, nothing written", tenant -> tenant.fake().faults()
                        .on("PUT", "/providers/microsoft.aadiam/diagnosticSettings/.*").always()
                        .error(403, "AuthorizationFailed", "The client does not have authorization to perform action "
                                + "'microsoft.aadiam/diagnosticSettings/write'."), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal ->
                            assertThat(terminal.reason()).isEqualTo("AuthorizationFailed"));
                    assertThat(tenant.fake().state().diagnosticSettings()).isEmpty();
                }),
                tenantRow("throttled → waited, then written once", tenant -> tenant.fake().faults()
                        .on("PUT", "/providers/microsoft.aadiam/diagnosticSettings/.*").throttle("1"), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    assertThat(tenant.fake().journal().count("PUT", "/providers/microsoft.aadiam/diagnosticSettings/.*"))
                            .isEqualTo(2);
                    assertThat(enabledCategories(tenant, OURS)).hasSize(3);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keepsTheEntraLogsFlowingToTheWorkspace(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            StepTable.play(tenant, STEP, null, given, when, then);
        }
    }

    @Test
    void aTenantThatDoesNotOfferSignInLogsGetsAuditLogsAndATerminalReason() {
        ObjectNode seed = TenantSeed.minimal().json();
        seed.putObject("azure").putArray("diagnosticCategories").add("AuditLogs").add("ProvisioningLogs");
        try (TestTenant tenant = TestTenant.start(seed(seed))) {
            Outcome outcome = tenant.runToEnd(STEP, null);

            assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal -> {
                assertThat(terminal.reason()).isEqualTo("CategoryNotOffered");
                assertThat(terminal.message()).contains("SignInLogs, NonInteractiveUserSignInLogs").contains("P1 or P2");
            });
            assertThat(enabledCategories(tenant, OURS)).containsExactly("AuditLogs");
            assertThat(check(tenant).status()).isEqualTo(CheckStatus.Failed);
        }
    }

    /**
     * A fresh deployment: infra/ cannot grant the tenant-scope role, so ARM refuses the read. The message is ARM's
     * (shape recorded in https://github.com/hashicorp/terraform-provider-azurerm/issues/12986).
     */
    @Test
    void withoutTheTenantScopeRoleTheCheckIsSkippedNamingTheOneTimeGrantAndNothingIsWritten() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.fake().faults().on("GET", "/providers/microsoft.aadiam/.*").always().error(403, "AuthorizationFailed",
                    "The client '6f1e1c2a-0000-4000-8000-000000000001' with object id "
                            + "'6f1e1c2a-0000-4000-8000-000000000001' does not have authorization to perform action "
                            + "'microsoft.aadiam/diagnosticSettings/read' over scope '/providers/microsoft.aadiam' or the "
                            + "scope is invalid. If access was recently granted, please refresh your credentials.");

            CheckResult check = check(tenant);
            Outcome outcome = tenant.runToEnd(STEP, null);

            assertThat(check.status()).isEqualTo(CheckStatus.Skipped);
            assertThat(check.detail()).contains("/providers/microsoft.aadiam").contains("docs/permissions.md");
            assertThat(outcome).isInstanceOf(Outcome.Done.class);
            assertThat(tenant.fake().state().diagnosticSettings()).isEmpty();
            assertThat(tenant.fake().journal().writes()).isEmpty();
        }
    }

    @Test
    void aReadThatFailsForAnotherReasonIsAnErrorNotSkipped() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.fake().faults().on("GET", "/providers/microsoft.aadiam/.*").always().serverError(500);

            assertThat(check(tenant).status()).isEqualTo(CheckStatus.Error);
        }
    }

    @Test
    void withoutAWorkspaceTheCheckIsSkippedAndArmIsNeverCalled() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            Outcome outcome = tenant.run(STEP, null);

            assertThat(outcome).isInstanceOf(Outcome.Done.class);
            assertThat(check(tenant).status()).isEqualTo(CheckStatus.Skipped);
            assertThat(check(tenant).detail()).contains("BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID is not set");
            assertThat(tenant.fake().journal().entries()).noneMatch(entry -> entry.path().startsWith("/providers"));
        }
    }

    private static void assertFailedWith(TestTenant tenant, String detail) {
        CheckResult check = check(tenant);
        assertThat(check.status()).isEqualTo(CheckStatus.Failed);
        assertThat(check.detail()).contains(detail);
    }

    private static CheckResult check(TestTenant tenant) {
        return tenant.verify().checks().stream().filter(check -> check.id().equals("BG.1007")).findFirst().orElseThrow();
    }

    static ObjectNode setting(String workspaceId, String... categories) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode properties = body.putObject("properties").put("workspaceId", workspaceId);
        for (String category : categories) {
            properties.withArray("logs").addObject().put("category", category).put("enabled", true);
        }
        return body;
    }

    /** What the fake stores for a body it accepted: the same properties with default retention filled in. */
    private static JsonNode stored(TestTenant tenant, ObjectNode body) {
        tenant.fake().state().putDiagnosticSetting("expected-shape", body);
        JsonNode properties = tenant.fake().state().diagnosticSetting("expected-shape").orElseThrow().get("properties");
        tenant.fake().state().deleteDiagnosticSetting("expected-shape");
        return properties;
    }

    private static String workspaceOf(TestTenant tenant, String name) {
        return tenant.fake().state().diagnosticSetting(name).orElseThrow().at("/properties/workspaceId").asText();
    }

    private static List<String> enabledCategories(TestTenant tenant, String name) {
        List<String> categories = new ArrayList<>();
        tenant.fake().state().diagnosticSetting(name).orElseThrow().at("/properties/logs").forEach(log -> {
            if (log.path("enabled").asBoolean()) {
                categories.add(log.path("category").asText());
            }
        });
        return categories;
    }

    private static TenantSeed seed(ObjectNode json) {
        try {
            return TenantSeed.fromJson(new ByteArrayInputStream(JSON.writeValueAsBytes(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
