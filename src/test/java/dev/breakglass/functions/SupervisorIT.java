package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.Runs;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.runs.StepState;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * B9 (and the gap of D2's crash point (c) between recording a step and sending what follows): a run whose
 * messages were lost is found by the supervisor and completed; a run past its SLA is failed as Stuck; a
 * healthy run is left alone; a redelivered message of a step recorded Done sends its successors.
 */
class SupervisorIT {

    private TestTenant tenant;
    private FunctionsApp app;
    private FunctionsHost host;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        HappyPath.seedPolicy(tenant);
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        host = functions.host();
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    @Covers(value = "B9", proves = "A run whose queue messages were all lost is found by the supervisor, its ready "
            + "work sent again, and it completes in the happy path's state; a healthy run is left alone")
    void aRunWhoseMessagesWereLostIsResumedBySupervision() {
        String runId = app.runs().start("lost messages", false).id();
        assertThat(app.runs().supervise(Duration.ofMinutes(15))).as("a fresh run is healthy").isEmpty();
        host.stepsQueue().clearMessages();
        Ledger.faultsInjected(1);
        host.runUntilIdle(Duration.ofSeconds(10));
        assertThat(app.runs().find(runId).orElseThrow().status()).as("stuck without help").isEqualTo(RunStatus.Running);

        assertThat(app.runs().supervise(Duration.ZERO)).hasValueSatisfying(action -> assertThat(action)
                .contains("sent again"));
        host.runUntilIdle(Duration.ofMinutes(3));

        assertThat(app.runs().find(runId).orElseThrow().status()).isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        HappyPath.assertReached(tenant);
    }

    @Test
    @Covers(value = "B9", proves = "A run without progress past its SLA is failed as Stuck, releasing the lock, "
            + "instead of staying Running forever")
    void aRunPastItsSlaWithoutProgressIsFailedAsStuck() {
        String runId = app.runs().start("never progresses", false).id();
        host.stepsQueue().clearMessages();
        Ledger.faultsInjected(1);
        Runs threeHoursLater = new Runs(tenant.spec(), tenant.engine().workflow(), tenant.engine()::compensation,
                app.store(), new StepQueue(host.stepsQueue()), Clock.offset(Clock.systemUTC(), Duration.ofHours(3)),
                app.signatures(), event -> { });

        assertThat(threeHoursLater.supervise(Duration.ofMinutes(15))).hasValueSatisfying(action ->
                assertThat(action).contains("failed stuck run"));

        Run run = app.runs().find(runId).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.Failed);
        assertThat(run.errorCode()).isEqualTo("Stuck");
        assertThat(app.runs().start("next", false).id()).as("the lock was released").isNotEqualTo(runId);
    }

    @Test
    @Covers(value = {"D2", "B2"}, proves = "A worker that died after recording a step Done but before sending the "
            + "next steps: the redelivered message sends them, and the run completes")
    void aRedeliveredMessageOfARecordedStepSendsWhatFollows() {
        String runId = app.runs().start("died between record and send", false).id();
        StepKey first = new StepKey("TenantInfo", null);
        app.store().lease(runId, first, "dead-worker", Duration.ofMinutes(10));
        app.store().record(runId, first, StepState.Done, "Done", "recorded by a worker that then died");
        Ledger.faultsInjected(1);

        host.runUntilIdle(Duration.ofMinutes(3));

        assertThat(app.runs().find(runId).orElseThrow().status()).isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        HappyPath.assertReached(tenant);
    }
}
