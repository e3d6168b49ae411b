package dev.breakglass.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.TestTenant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Monitoring in the whole workflow, on the demo tenant, whose own diagnostic settings already send AuditLogs to the
 * workspace and sign-in logs to an event hub.
 * Covers E1, E2 and E5 end to end (each drift is detected by verify, only its own check fails, and apply heals it),
 * D11 (the foreign settings are untouched), D1 across Graph and ARM (a second apply writes nothing), and monitoring
 * turned off (its checks are Skipped and ARM is never called).
 */
class MonitoringIT {

    static final List<String> MONITORING_CHECKS = List.of("BG.1007", "BG.1008", "BG.1009", "BG.1010");

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnTheDemoTenant {

        private TestTenant tenant;
        private List<ObjectNode> foreignSettings;

        @BeforeAll
        void provision() {
            tenant = TestTenant.demo();
            foreignSettings = tenant.fake().state().diagnosticSettings();
            ApplyReport report = tenant.apply();
            assertThat(report.succeeded()).as("apply: %s", report.failure()).isTrue();
            tenant.custodiansRegisterKeysAndDrill();
        }

        @AfterAll
        void stop() {
            tenant.close();
        }

        @Test
        void aSecondApplyWritesNothingAcrossGraphAndArm() {
            tenant.fake().journal().clear();

            assertThat(tenant.apply().succeeded()).isTrue();

            assertThat(tenant.fake().journal().writes()).isEmpty();
            assertThat(tenant.fake().journal().reads()).extracting(Journal.Entry::path)
                    .anyMatch(path -> path.startsWith("/v1.0/"))
                    .anyMatch(path -> path.startsWith("/subscriptions/"))
                    .anyMatch(path -> path.startsWith("/providers/microsoft.aadiam/"));
            assertThat(tenant.verify().checks()).filteredOn(check -> MONITORING_CHECKS.contains(check.id()))
                    .hasSize(4).allSatisfy(check -> assertThat(check.status()).isEqualTo(CheckStatus.Passed));
        }

        @Test
        void d11LeavesTheOtherDiagnosticSettingsUntouchedAndDoesNotDuplicateWhatTheySend() {
            assertThat(tenant.fake().state().diagnosticSettings())
                    .filteredOn(setting -> !setting.get("name").asText().equals("breakglass-entra-logs"))
                    .containsExactlyElementsOf(foreignSettings);
            assertThat(tenant.fake().state().diagnosticSetting("breakglass-entra-logs").orElseThrow()
                    .at("/properties/logs").findValuesAsText("category"))
                    .containsExactly("SignInLogs", "NonInteractiveUserSignInLogs");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.breakglass.reconcile.MonitoringIT#drift")
        void detectsEachDriftInItsOwnCheckAndHealsIt(String reason, String failingCheck, Consumer<TestTenant> drift) {
            drift.accept(tenant);

            DriftReport drifted = tenant.verify();
            ApplyReport healed = tenant.apply();

            assertThat(drifted.problems()).extracting(CheckResult::id).containsExactly(failingCheck);
            assertThat(healed.succeeded()).as("apply: %s", healed.failure()).isTrue();
            assertThat(tenant.verify().allPassed()).isTrue();
            assertThat(tenant.fake().state().alertRule("breakglass-sign-in").orElseThrow()
                    .at("/properties/enabled").asBoolean()).isTrue();
            assertThat(tenant.fake().state().actionGroup("breakglass-alerts").orElseThrow()
                    .at("/properties/emailReceivers")).hasSize(1);
            assertThat(tenant.fake().state().diagnosticSetting("breakglass-entra-logs").orElseThrow()
                    .at("/properties/logs").findValuesAsText("category")).contains("SignInLogs");
        }
    }

    static Stream<Arguments> drift() {
        return Stream.of(
                Arguments.of("E1: the sign-in rule deleted", "BG.1009",
                        (Consumer<TestTenant>) tenant -> tenant.fake().state().deleteAlertRule("breakglass-sign-in")),
                Arguments.of("E2: the sign-in rule disabled", "BG.1009",
                        (Consumer<TestTenant>) tenant -> tenant.fake().state().disableAlertRule("breakglass-sign-in")),
                Arguments.of("E2: the audit rule's KQL changed", "BG.1010",
                        (Consumer<TestTenant>) tenant -> tenant.fake().state().setAlertRuleQuery("breakglass-audit",
                                "AuditLogs | where false")),
                Arguments.of("E2: the action group emptied", "BG.1008",
                        (Consumer<TestTenant>) tenant -> tenant.fake().state().emptyActionGroup("breakglass-alerts")),
                Arguments.of("E5: the SignInLogs category dropped", "BG.1007",
                        (Consumer<TestTenant>) tenant -> tenant.fake().state().dropDiagnosticCategory(
                                "breakglass-entra-logs", "SignInLogs")),
                Arguments.of("E5: the diagnostic setting deleted", "BG.1007",
                        (Consumer<TestTenant>) tenant -> tenant.fake().state().deleteDiagnosticSetting("breakglass-entra-logs")));
    }

    @Test
    void withoutAWorkspaceTheMonitoringChecksAreSkippedAndArmIsNeverCalled() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            assertThat(tenant.apply().succeeded()).isTrue();
            DriftReport report = tenant.custodiansRegisterKeysAndDrill().verify();

            assertThat(report.allPassed()).isTrue();
            assertThat(report.checks()).filteredOn(check -> MONITORING_CHECKS.contains(check.id())).hasSize(4)
                    .allSatisfy(check -> {
                        assertThat(check.status()).isEqualTo(CheckStatus.Skipped);
                        assertThat(check.detail()).isEqualTo("monitoring is off: BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID is not set");
                    });
            assertThat(tenant.fake().journal().entries()).extracting(Journal.Entry::path)
                    .noneMatch(path -> path.startsWith("/subscriptions/") || path.startsWith("/providers/"));
            assertThat(tenant.fake().state().diagnosticSettings()).isEmpty();
        }
    }
}
