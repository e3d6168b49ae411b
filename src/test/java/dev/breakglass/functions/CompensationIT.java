package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.functions.CrashingPipeline.CrashPoint;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.StepCondition;
import dev.breakglass.runs.StepState;
import dev.breakglass.spec.Account;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * D13 on a terminal failure: the PIM policy refuses permanent assignments (D7) after both users were created, and
 * the worker dies in the middle of each account's compensation; the redelivered message finishes it, once.
 */
class CompensationIT {

    private static final String SCHEDULE_REQUESTS = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";

    private TestTenant tenant;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        tenant.fake().pimLicensed(true);
        HappyPath.seedPolicy(tenant);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    @Covers(value = {"D13", "D7"}, proves = "A run failing terminally before Global Administrator (PIM ExpirationRule) "
            + "ends Failed with that error only after both users were disabled and every version of their secrets "
            + "too; the worker dying after each compensation wrote but before it was recorded is redelivered and "
            + "finishes without writing again (one PATCH per user); no role schedule exists; no password in the run "
            + "table, queues or errors")
    void aTerminalFailureBeforeGlobalAdminDisablesTheAccountsEvenWhenTheWorkerDiesMidWay() {
        tenant.fake().faults().on("POST", SCHEDULE_REQUESTS).always().error(400,
                "RoleAssignmentRequestPolicyValidationFailed", "The following policy rules failed: [\"ExpirationRule\"]");
        CrashingPipeline pipeline = CrashingPipeline.start(tenant).crash("Compensate", CrashPoint.AFTER_SIDE_EFFECT);
        String runId = pipeline.provision();

        Run run = pipeline.runUntilIdle(runId, Duration.ofMinutes(3));

        Ledger.faultsInjected(1 + pipeline.crashes());
        assertThat(pipeline.crashes()).as("the worker died once in each account's compensation").isEqualTo(2);
        assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.Failed);
        assertThat(run.errorCode()).isEqualTo("PimPolicyForbidsPermanentAssignment");
        assertThat(run.failedStep()).startsWith("GlobalAdminAssignment/");
        List<StepCondition> compensations = pipeline.runs().conditions(runId).values().stream()
                .filter(condition -> condition.key().step().equals("Compensate")).toList();
        assertThat(compensations).hasSize(2).allSatisfy(condition -> {
            assertThat(condition.state()).isEqualTo(StepState.Done);
            assertThat(condition.attempts()).as("redelivered once after the crash").isEqualTo(2);
        });
        TenantState state = tenant.fake().state();
        for (Account account : tenant.spec().accounts()) {
            var user = state.user(account.upn(tenant.fake().initialDomain())).orElseThrow();
            assertThat(user.get("accountEnabled").asBoolean()).as(account.key()).isFalse();
            assertThat(tenant.fake().journal().count("PATCH", "/v1\\.0/users/" + user.get("id").asText()))
                    .as("disabled once: the redelivery found it disabled").isEqualTo(1);
            assertThat(state.secretVersions(account.secretName())).isNotEmpty()
                    .noneMatch(TenantState.SecretVersion::enabled);
        }
        assertThat(state.roleSchedules()).isEmpty();
        long leaked = SecretSinks.occurrences(tenant, pipeline);
        Ledger.secretOccurrences(leaked);
        assertThat(leaked).as("password occurrences in the run table (compensation records), queues and errors")
                .isZero();
        assertThat(pipeline.runs().start("next", false).id()).as("the lock was released").isNotEqualTo(runId);
    }

    @Test
    @Covers(value = "D13", proves = "Verification never passes a half-provisioned account: after an apply that failed "
            + "on the PIM policy (no compensation outside a run), each enabled user without Global Administrator is "
            + "BG.1004 Failed, and the report is not all-passed")
    void anEnabledAccountWithoutGlobalAdminIsReportedFailedNeverPassed() {
        tenant.fake().faults().on("POST", SCHEDULE_REQUESTS).always().error(400,
                "RoleAssignmentRequestPolicyValidationFailed", "The following policy rules failed: [\"ExpirationRule\"]");
        Ledger.faultsInjected(1);
        tenant.apply();

        var report = tenant.verify();

        assertThat(report.allPassed()).isFalse();
        assertThat(report.checks()).filteredOn(check -> check.id().equals("BG.1003")).hasSize(2)
                .allSatisfy(check -> assertThat(check.status()).as("enabled, ours").isEqualTo(CheckStatus.Passed));
        assertThat(report.checks()).filteredOn(check -> check.id().equals("BG.1004")).hasSize(2)
                .allSatisfy(check -> assertThat(check.status()).isEqualTo(CheckStatus.Failed));
    }
}
