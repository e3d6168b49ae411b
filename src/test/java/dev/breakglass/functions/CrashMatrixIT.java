package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.functions.CrashingPipeline.CrashPoint;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * D2, B2 (and D3's provisioning half): for every step of the workflow, the worker dies (a) before the side
 * effect, (b) after it but before the run table records it, (c) after recording but before the queue
 * message is deleted. The host redelivers, the run completes, and the tenant ends exactly as on the happy
 * path (see {@link HappyPath}): nothing created twice, no exclusion lost, the stored password is the
 * user's, and no password reached the run table, a queue or an error.
 */
class CrashMatrixIT {

    private static final List<String> STEPS = List.of("TenantInfo", "EmergencyPassword", "EmergencyUser",
            "GlobalAdminAssignment", "ExclusionGroup", "ConditionalAccessExclusions", "EntraDiagnosticSettings",
            "ActionGroup", "SignInAlertRule", "AuditAlertRule");

    private TestTenant tenant;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        HappyPath.seedPolicy(tenant);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    static Stream<Arguments> stepsAndCrashPoints() {
        List<Arguments> cases = new ArrayList<>();
        for (String step : STEPS) {
            for (CrashPoint point : CrashPoint.values()) {
                if (step.equals("TenantInfo") && point != CrashPoint.AFTER_RECORD) {
                    continue; // TenantInfo only reads: there is no side effect to die before or after
                }
                cases.add(Arguments.of(step, point));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, worker dies {1}")
    @MethodSource("stepsAndCrashPoints")
    @Covers(value = {"D2", "B2", "D3", "G3"}, proves = "A worker dying before, during (written, not recorded) or after "
            + "(recorded, not acknowledged) any step leaves the happy path's final state: one user, one enabled "
            + "secret version equal to its password, one GA schedule, one group, exclusions once; no password in "
            + "the run table, queues, poison queue or errors")
    void aWorkerDyingAtAnyPointOfAnyStepEndsInTheHappyPathState(String step, CrashPoint point) {
        CrashingPipeline pipeline = CrashingPipeline.start(tenant).crash(step, point);
        String runId = pipeline.provision();

        Run run = pipeline.runUntilIdle(runId, Duration.ofMinutes(3));

        Ledger.faultsInjected(pipeline.crashes());
        assertThat(pipeline.crashes()).as("the crash fired").isPositive();
        assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        HappyPath.assertReached(tenant);
        assertThat(tenant.fake().journal().count("POST", "/v1\\.0/users"))
                .as("POST /users: the user step's crash never causes a second create").isEqualTo(2);
        long leaked = SecretSinks.occurrences(tenant, pipeline);
        Ledger.secretOccurrences(leaked);
        assertThat(leaked).as("password occurrences in tables, queues and errors").isZero();
    }
}
