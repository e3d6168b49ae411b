package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.Faults;
import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.DriftReport;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.StepCondition;
import dev.breakglass.runs.StepState;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transient faults through the whole Functions pipeline (Azurite, the host driver, the fake tenant):
 * B4 (503 twice, then success), C9 (Key Vault 429 and a lost answer on setSecret: one version), C5 (connections reset before and after the server acted, and slow answers, on
 * Graph, PIM, Key Vault and ARM in one run), B10 (a Retry-After of 600 s is not slept in the function but
 * becomes a delayed message), E9 (verification that cannot read says Error, never Passed).
 */
class TransientFaultsIT {

    private static final String USERS = "/v1\\.0/users";

    private TestTenant tenant;
    private FunctionsApp app;
    private FunctionsHost host;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        tenant.fake().pimLicensed(true);
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
    @Covers(value = "B4", proves = "503 on the first two POST /users, success on the third: the run succeeds with "
            + "exactly one user per account")
    void twoServiceUnavailableAnswersThenSuccessEndInOneUser() {
        tenant.fake().faults().on("POST", USERS).times(2).serverError(503);
        Ledger.faultsInjected(2);

        String runId = app.runs().start("B4", false).id();
        host.runUntilIdle(Duration.ofMinutes(3));

        assertThat(app.runs().find(runId).orElseThrow().status()).isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        assertThat(answers(tenant.fake().journal(), "POST", USERS)).startsWith(503, 503).contains(201);
        HappyPath.assertReached(tenant);
    }

    @Test
    @Covers(value = "C5", proves = "Connections reset before the server acted and after it acted, and slow answers, "
            + "on Graph users/groups/CA, PIM, Key Vault and ARM in one run: the run converges with nothing created "
            + "twice and no partial answer taken for success")
    void resetsAndSlowAnswersOnEveryServiceConvergeWithoutDuplicates() {
        Faults faults = tenant.fake().faults();
        faults.on("PUT", "/secrets/.*").reset();
        faults.on("POST", USERS).lostResponseWithReset();
        faults.on("POST", "/v1\\.0/roleManagement/directory/roleAssignmentScheduleRequests").lostResponseWithReset();
        faults.on("POST", "/v1\\.0/groups").lostResponseWithReset();
        faults.on("PATCH", "/v1\\.0/identity/conditionalAccess/policies/.*").lostResponseWithReset();
        faults.on("PUT", "(?i).*/diagnosticSettings/.*").delay(Duration.ofSeconds(3));
        faults.on("PUT", "(?i).*/actionGroups/.*").reset();
        faults.on("PUT", "(?i).*/scheduledQueryRules/.*").lostResponseWithReset();
        faults.on("GET", "(?i).*/scheduledQueryRules/.*").delay(Duration.ofSeconds(2));
        Ledger.faultsInjected(9);

        String runId = app.runs().start("C5", false).id();
        host.runUntilIdle(Duration.ofMinutes(4));

        assertThat(app.runs().find(runId).orElseThrow().status()).as(host.failures().toString())
                .isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        assertThat(tenant.fake().journal().entries()).as("every fault fired").filteredOn(entry -> entry.status() == 0)
                .hasSizeGreaterThanOrEqualTo(6);
        HappyPath.assertReached(tenant);
        assertThat(tenant.custodiansRegisterKeysAndDrill().verify().allPassed()).as("verification after the faults")
                .isTrue();
    }

    @Test
    @Covers(value = "C9", proves = "Key Vault 429 (twice) and a 503 after the secret was written on setSecret: the "
            + "run succeeds with exactly one enabled version per account, equal to the user's password")
    void keyVaultThrottlingAndALostAnswerOnSetSecretLeaveOneVersion() {
        tenant.fake().faults().on("PUT", "/secrets/.*").times(2).throttle("1");
        tenant.fake().faults().on("PUT", "/secrets/.*").lostResponse();
        Ledger.faultsInjected(3);

        String runId = app.runs().start("C9", false).id();
        host.runUntilIdle(Duration.ofMinutes(3));

        assertThat(app.runs().find(runId).orElseThrow().status()).isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        assertThat(answers(tenant.fake().journal(), "PUT", "/secrets/.*")).startsWith(429, 429, 503);
        for (var account : tenant.spec().accounts()) {
            assertThat(tenant.fake().state().secretVersions(account.secretName())).as(account.secretName()).hasSize(1);
        }
        HappyPath.assertReached(tenant);
    }

    @Test
    @Covers(value = "B10", proves = "Retry-After: 600 on POST /users inside a queue step: the function returns within "
            + "seconds, records Waiting and leaves a delayed message; it never sleeps for 10 minutes")
    void aTenMinuteRetryAfterBecomesADelayedMessageNotASleep() {
        tenant.fake().faults().on("POST", USERS).throttle("600");
        Ledger.faultsInjected(1);
        String runId = app.runs().start("B10", false).id();
        Instant started = Instant.now();

        StepCondition waiting = null;
        while (waiting == null && Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(60)) < 0) {
            host.runOnce();
            waiting = app.runs().conditions(runId).values().stream()
                    .filter(condition -> condition.key().step().equals("EmergencyUser"))
                    .filter(condition -> condition.state() == StepState.Waiting).findFirst().orElse(null);
        }

        assertThat(waiting).as("the account whose POST /users got the 429 waits: " + app.runs().conditions(runId).values()
                + " " + tenant.fake().journal().entries() + " " + host.failures()).isNotNull();
        assertThat(Duration.between(started, Instant.now())).as("no in-process sleep of 600 s")
                .isLessThan(Duration.ofSeconds(60));
        String account = waiting.key().account();
        Instant keepGoing = Instant.now().plusSeconds(8);
        while (Instant.now().isBefore(keepGoing)) {
            host.runOnce(); // duplicates of the waiting step's message arrive here too: they must not cut the wait short
        }
        assertThat(tenant.fake().state().user(tenant.spec().account(account).upn(tenant.fake().initialDomain())))
                .as("the throttled account's user is not created before Retry-After").isEmpty();
        assertThat(app.runs().conditions(runId).get(waiting.key()).state()).isEqualTo(StepState.Waiting);
        assertThat(host.stepsQueue().getProperties().getApproximateMessagesCount()).isPositive();
    }

    @Test
    @Covers(value = "E9", proves = "Verification while Graph answers 403 on Conditional Access and ARM answers 500: "
            + "those checks are Error, never Passed, and the report is not all-passed")
    void verificationThatCannotReadIsErrorNeverPassed() {
        tenant.apply();
        assertThat(tenant.custodiansRegisterKeysAndDrill().verify().allPassed()).isTrue();
        tenant.fake().faults().on("GET", "/v1\\.0/identity/conditionalAccess/policies.*").always()
                .error(403, "AccessDenied", "You cannot perform the requested operation, required scopes are missing "
                        + "in the token.");
        tenant.fake().faults().on("GET", "(?i).*/actionGroups/.*").always().serverError(500);
        Ledger.faultsInjected(2);

        DriftReport report = tenant.verify();

        assertThat(report.allPassed()).isFalse();
        List<CheckResult> unreadable = report.checks().stream()
                .filter(check -> check.id().equals("BG.1006") || check.id().equals("BG.1008")).toList();
        assertThat(unreadable).isNotEmpty().allSatisfy(check -> assertThat(check.status()).as(check.toString())
                .isEqualTo(CheckStatus.Error));
    }

    private static List<Integer> answers(Journal journal, String method, String path) {
        return journal.entries().stream().filter(entry -> entry.method().equals(method) && entry.path().matches(path))
                .map(Journal.Entry::status).toList();
    }
}
