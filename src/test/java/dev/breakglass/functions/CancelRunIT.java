package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.StepMessage;
import dev.breakglass.runs.StepState;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.role.GlobalAdminAssignment;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A13 and D13: {@code DELETE /api/runs/{id}} cancels a run that sits before Global Administrator; the accounts it
 * left half-provisioned are disabled (user and password versions), nothing later assigns the role, and the next run
 * brings them back with a new password.
 */
class CancelRunIT {

    private static final String SCHEDULE_REQUESTS = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";
    /** The D5 integrity check reads these right before it would request the role. */
    private static final String POLICIES = "/v1\\.0/identity/conditionalAccess/policies.*";
    private static final String METHODS = "/v1\\.0/users/[^/]+/authentication/methods.*";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTenant tenant;
    private FunctionsApp app;
    private FunctionsHost host;
    private ProvisionFunction provision;
    private RunStatusFunction status;
    private CancelRunFunction cancel;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        tenant.fake().pimLicensed(true);
        HappyPath.seedPolicy(tenant);
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        host = functions.host();
        provision = new ProvisionFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
        status = new RunStatusFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
        cancel = new CancelRunFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    @Covers(value = {"A13", "D13"}, proves = "A run held before Global Administrator (Graph throttles the D5 reads with "
            + "Retry-After 600) is canceled by DELETE: 202 with the status Location, twice alike; the run ends "
            + "Canceled (a 422 problem, errorCode Canceled) after compensation disabled both users and every version "
            + "of their secrets, recorded per account; no schedule request was ever sent, even when the canceled "
            + "run's GA messages are delivered late; BG.1003 and BG.1004 report the accounts Failed; the lock is "
            + "released and the next POST converges to the happy path with each user enabled again and its password "
            + "equal to the one enabled secret version")
    void cancelBeforeGlobalAdminDisablesTheAccountsAndTheNextRunRestoresThem() throws IOException {
        tenant.fake().faults().on("GET", METHODS).always().throttle("600");
        Ledger.faultsInjected(1);
        String runId = runId(post());
        holdUntilEveryGlobalAdminUnitWaits(runId);

        HttpResponseMessage first = delete(runId);
        HttpResponseMessage second = delete(runId);

        assertThat(first.getStatusCode()).as(String.valueOf(first.getBody())).isEqualTo(202);
        assertThat(first.getHeader("Location")).endsWith("/api/runs/" + runId);
        assertThat(second.getStatusCode()).isEqualTo(202);
        assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
        HttpResponseMessage canceled = pollUntilNot202(runId);
        assertThat(canceled.getStatusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree((String) canceled.getBody());
        assertThat(problem.get("errorCode").asText()).isEqualTo("Canceled");
        assertThat(problem.at("/run/status").asText()).isEqualTo("Canceled");
        assertThat(compensations(problem)).hasSize(2).allSatisfy(step -> {
            assertThat(step.get("state").asText()).isEqualTo("Done");
            assertThat(step.get("message").asText()).contains("disabled user").contains("disabled version");
        });
        assertThat(delete(runId).getStatusCode()).as("a DELETE after the end answers alike").isEqualTo(202);

        tenant.fake().faults().clear();
        host.stepsQueue().clearMessages(); // the role units' 600 s retries: delivered now instead, as copies
        for (Account account : tenant.spec().accounts()) {
            host.stepsQueue().sendMessage(app.signatures().sign(new StepMessage(runId,
                    new StepKey("GlobalAdminAssignment", account.key()), 1)).toJson());
        }
        host.runUntilIdle(Duration.ofSeconds(30));

        TenantState state = tenant.fake().state();
        for (Account account : tenant.spec().accounts()) {
            assertThat(user(account).get("accountEnabled").asBoolean()).as(account.key()).isFalse();
            assertThat(state.secretVersions(account.secretName())).isNotEmpty()
                    .noneMatch(TenantState.SecretVersion::enabled);
        }
        assertThat(state.roleSchedules()).isEmpty();
        assertThat(tenant.fake().journal().count("POST", SCHEDULE_REQUESTS)).isZero();
        assertThat(tenant.verify().checks()).as("disabled and not Global Administrator: never Passed")
                .filteredOn(check -> check.id().equals("BG.1003") || check.id().equals("BG.1004")).hasSize(4)
                .allSatisfy(check -> assertThat(check.status()).isEqualTo(CheckStatus.Failed));

        String next = runId(post());
        assertThat(next).as("the lock was released").isNotEqualTo(runId);
        host.runUntilIdle(Duration.ofMinutes(5));

        assertThat(app.runs().find(next).orElseThrow().status()).as(host.failures().toString())
                .isEqualTo(RunStatus.Succeeded);
        Ledger.runCompleted();
        HappyPath.assertReached(tenant);
        for (Account account : tenant.spec().accounts()) {
            assertThat(user(account).get("accountEnabled").asBoolean()).as(account.key()).isTrue();
        }
    }

    @Test
    @Covers(value = {"A13", "D13"}, proves = "A run canceled after it assigned Global Administrator leaves those "
            + "accounts enabled for the runbook even while PIM does not list the new schedules yet: the run's own "
            + "record that the role unit is Done decides, not only the tenant read")
    void cancelAfterGlobalAdminNeverDisablesTheAccountsEvenWhenPimListsTheScheduleLate() throws IOException {
        tenant.fake().faults().on("GET", POLICIES).always().throttle("600");
        Ledger.faultsInjected(1);
        String runId = runId(post());
        holdUntil(runId, "GlobalAdminAssignment", StepState.Done); // Conditional Access then holds the run
        for (Account account : tenant.spec().accounts()) {
            // PIM's list lagging behind its accepted request: the tenant read finds no schedule yet.
            tenant.fake().state().removeRoleAssignment(user(account).get("id").asText(),
                    GlobalAdminAssignment.GLOBAL_ADMINISTRATOR);
        }
        Ledger.faultsInjected(tenant.spec().accounts().size());

        assertThat(delete(runId).getStatusCode()).isEqualTo(202);
        HttpResponseMessage canceled = pollUntilNot202(runId);

        JsonNode problem = JSON.readTree((String) canceled.getBody());
        assertThat(problem.get("errorCode").asText()).isEqualTo("Canceled");
        assertThat(compensations(problem)).hasSize(2).allSatisfy(step -> {
            assertThat(step.get("reason").asText()).isEqualTo("LeftToRunbook");
            assertThat(step.get("message").asText()).contains("assigned Global Administrator");
        });
        for (Account account : tenant.spec().accounts()) {
            assertThat(user(account).get("accountEnabled").asBoolean()).as(account.key()).isTrue();
            assertThat(tenant.fake().state().secretVersions(account.secretName()))
                    .anyMatch(TenantState.SecretVersion::enabled);
        }
    }

    @Test
    @Covers(value = "A13", proves = "DELETE of an unknown run is 404, of a malformed id 400, of a run that already "
            + "succeeded 409 (a problem); none of them changes the run or sends a message")
    void deleteOfAnUnknownOrFinishedRunIsRefused() {
        String finished = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Run succeeded = new Run(finished, RunStatus.Succeeded, false, "done", 1, now, now, null, null, null);
        app.store().create(succeeded, app.signatures().seal(succeeded));

        assertThat(delete(UUID.randomUUID().toString()).getStatusCode()).isEqualTo(404);
        assertThat(delete("../provision").getStatusCode()).isEqualTo(400);
        HttpResponseMessage conflict = delete(finished);

        assertThat(conflict.getStatusCode()).isEqualTo(409);
        assertThat(conflict.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(app.runs().find(finished).orElseThrow().status()).isEqualTo(RunStatus.Succeeded);
        assertThat(host.stepsQueue().getProperties().getApproximateMessagesCount()).isZero();
    }

    /** Plays the host until both accounts' role units wait out the throttling: the run sits right before GA. */
    private void holdUntilEveryGlobalAdminUnitWaits(String runId) {
        holdUntil(runId, "GlobalAdminAssignment", StepState.Waiting);
    }

    /** Plays the host until every unit of {@code step} is in {@code state}. */
    private void holdUntil(String runId, String step, StepState state) {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            host.runOnce();
            var units = app.runs().conditions(runId).values().stream()
                    .filter(condition -> condition.key().step().equals(step)).toList();
            if (!units.isEmpty() && units.stream().allMatch(condition -> condition.state() == state)) {
                return;
            }
        }
        throw new AssertionError(step + " never reached " + state + ": " + app.runs().conditions(runId).values());
    }

    private HttpResponseMessage pollUntilNot202(String runId) {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            HttpResponseMessage response = get(runId);
            if (response.getStatusCode() != 202) {
                return response;
            }
            host.runOnce();
        }
        throw new AssertionError("the canceled run never left 202: " + app.runs().conditions(runId).values());
    }

    private static java.util.List<JsonNode> compensations(JsonNode problem) {
        java.util.List<JsonNode> steps = new java.util.ArrayList<>();
        problem.at("/run/steps").forEach(step -> {
            if (step.get("step").asText().equals("Compensate")) {
                steps.add(step);
            }
        });
        return steps;
    }

    private JsonNode user(Account account) {
        return tenant.fake().state().user(account.upn(tenant.fake().initialDomain())).orElseThrow();
    }

    private HttpResponseMessage post() {
        return provision.provision(FakeHttp.request(HttpMethod.POST, "/api/provision"), FunctionsHost.context());
    }

    private HttpResponseMessage get(String runId) {
        return status.status(FakeHttp.request(HttpMethod.GET, "/api/runs/" + runId), runId, FunctionsHost.context());
    }

    private HttpResponseMessage delete(String runId) {
        return cancel.cancel(FakeHttp.request(HttpMethod.DELETE, "/api/runs/" + runId), runId,
                FunctionsHost.context());
    }

    private static String runId(HttpResponseMessage accepted) {
        assertThat(accepted.getStatusCode()).as(String.valueOf(accepted.getBody())).isEqualTo(202);
        String location = accepted.getHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
