package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.runs.StepMessage;
import dev.breakglass.testing.Azurite;
import dev.breakglass.testing.TestTenant;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole provisioning runs through the real queue and table clients (Azurite), the {@code @FunctionName}
 * methods, a driver playing the Functions host, and the fake tenant. Covers A1–A6, A8, A12, B1, B3,
 * B5, B6, B8 and G1 of TESTS.md.
 */
class FunctionsIT {

    private static final Duration POLL_PAUSE = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTenant tenant;
    private FunctionsApp app;
    private FunctionsHost host;
    private ProvisionFunction provision;
    private RunStatusFunction status;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        host = functions.host();
        provision = new ProvisionFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
        status = new RunStatusFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void aProvisionRunIsAcceptedPolledWith202AndEndsIn200WithTheTenantProvisioned() throws IOException {
        HttpResponseMessage accepted = post("{\"reason\":\"initial provisioning\"}", null);

        assertThat(accepted.getStatusCode()).isEqualTo(202);
        String location = accepted.getHeader("Location");
        assertThat(location).matches("https://breakglass-func\\.azurewebsites\\.net/api/runs/[0-9a-f-]{36}");
        assertThat(Integer.parseInt(accepted.getHeader("Retry-After"))).isPositive();
        String runId = location.substring(location.lastIndexOf('/') + 1);
        HttpResponseMessage whileRunning = get(runId);
        assertThat(whileRunning.getStatusCode()).isEqualTo(202);
        assertThat(whileRunning.getHeader("Location")).isEqualTo(location);

        host.runUntilIdle(Duration.ofMinutes(5));
        HttpResponseMessage done = get(runId);

        assertThat(done.getStatusCode()).as(String.valueOf(done.getBody())).isEqualTo(200);
        JsonNode summary = JSON.readTree((String) done.getBody());
        assertThat(summary.get("status").asText()).isEqualTo("Succeeded");
        int units = tenant.engine().workflow().keys(tenant.spec()).size();
        assertThat(summary.get("steps").findValuesAsText("state")).hasSize(units).containsOnly("Done");
        assertThat(host.stepDeliveries()).as("one message per unit of work: a completion never re-sends what an "
                + "earlier one already sent").isEqualTo(units);
        assertThat(tenant.fake().state().users()).hasSize(2);
        assertThat(tenant.fake().state().roleSchedules()).hasSize(2);
        assertThat(tenant.custodiansRegisterKeysAndDrill().verify().allPassed()).isTrue();
        assertThat(host.failures()).isEmpty();
    }

    @Test
    void aLogicAppsStyleClientPollsUntilTheFirstNon202AndSeesFailureThenSuccess() throws InterruptedException {
        tenant.fake().faults().on("POST", "/v1.0/users").always().error(403, "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.");

        HttpResponseMessage failed = pollLikeLogicApps(post("{\"reason\":\"first try\"}", null).getHeader("Location"));
        tenant.fake().faults().clear();
        HttpResponseMessage succeeded = pollLikeLogicApps(post("{\"reason\":\"after the fix\"}", null)
                .getHeader("Location"));

        assertThat(failed.getStatusCode()).as("a Logic App ends Failed on a 4xx").isEqualTo(422);
        assertThat((String) failed.getBody()).contains("Authorization_RequestDenied");
        assertThat(succeeded.getStatusCode()).isEqualTo(200);
        assertThat(tenant.fake().state().users()).hasSize(2);
    }

    /**
     * What a Logic App's HTTP action does with a 202: wait Retry-After, GET Location, repeat until the
     * first response that is not 202 (here the host gets to run between polls instead of the wait).
     */
    private HttpResponseMessage pollLikeLogicApps(String location) throws InterruptedException {
        String runId = location.substring(location.lastIndexOf('/') + 1);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            HttpResponseMessage response = get(runId);
            if (response.getStatusCode() != 202) {
                return response;
            }
            assertThat(response.getHeader("Location")).isEqualTo(location);
            assertThat(Integer.parseInt(response.getHeader("Retry-After"))).isPositive();
            host.runOnce();
            // Steps that wait (replication lag, prerequisites) are invisible messages for a few seconds.
            Thread.sleep(POLL_PAUSE.toMillis());
        }
        throw new AssertionError("the run never left 202 within 3 minutes");
    }

    @Test
    void aTerminalFailureFailsTheRunAfterOneAttemptAsProblemJson() throws IOException {
        tenant.fake().faults().on("POST", "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests").always()
                .error(400, "RoleAssignmentRequestPolicyValidationFailed",
                        "The following policy rules failed: [\"ExpirationRule\"]");
        String runId = runId(post("", null));

        host.runUntilIdle(Duration.ofMinutes(5));
        HttpResponseMessage failed = get(runId);

        assertThat(failed.getStatusCode()).isEqualTo(422);
        assertThat(failed.getHeader("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree((String) failed.getBody());
        assertThat(problem.get("errorCode").asText()).isEqualTo("PimPolicyForbidsPermanentAssignment");
        assertThat(problem.get("failedStep").asText()).startsWith("GlobalAdminAssignment/");
        assertThat(tenant.fake().journal().count("POST", "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests"))
                .as("one attempt per account at most: no retry burn").isBetween(1L, 2L);
        assertThat((String) failed.getBody()).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheSameRunAndADifferentBodyIs422() throws IOException {
        String first = runId(post("{\"reason\":\"ticket 42\"}", "key-42"));
        String retried = runId(post("{\"reason\":\"ticket 42\"}", "key-42"));
        HttpResponseMessage different = post("{\"reason\":\"ticket 43\"}", "key-42");

        assertThat(retried).isEqualTo(first);
        assertThat(different.getStatusCode()).isEqualTo(422);
        host.runUntilIdle(Duration.ofMinutes(5));
        assertThat(tenant.fake().state().users()).hasSize(2);
    }

    @Test
    void whileARunIsActiveAnotherPostReturnsThatRun() {
        String first = runId(post("", null));

        assertThat(runId(post("{\"dryRun\":false}", null))).isEqualTo(first);
    }

    @Test
    void aDryRunObservesAndWritesNothing() throws IOException {
        String runId = runId(post("{\"dryRun\":true}", null));

        host.runUntilIdle(Duration.ofMinutes(5));

        JsonNode summary = JSON.readTree((String) get(runId).getBody());
        assertThat(summary.get("status").asText()).isEqualTo("Succeeded");
        assertThat(summary.get("steps").findValuesAsText("message")).anySatisfy(message ->
                assertThat(message).startsWith("would change: absent"));
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void rejectsUnknownMalformedAndHugeRunIds() {
        assertThat(get(UUID.randomUUID().toString()).getStatusCode()).isEqualTo(404);
        for (String bad : List.of("../../admin", "x".repeat(10_000), UUID.randomUUID().toString().toUpperCase())) {
            HttpResponseMessage response = get(bad);
            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat((String) response.getBody()).doesNotContain("Exception");
        }
    }

    @Test
    void aDuplicateDeliveryCreatesNothingTwice() {
        String runId = runId(post("", null));
        host.runUntilIdle(Duration.ofMinutes(5));
        var message = app.signatures().sign(new StepMessage(runId, new StepKey("EmergencyUser", "bg01"), 1)).toJson();

        host.stepsQueue().sendMessage(message);
        host.stepsQueue().sendMessage(message);
        host.runUntilIdle(Duration.ofMinutes(1));

        assertThat(tenant.fake().state().users()).hasSize(2);
        assertThat(tenant.fake().journal().count("POST", "/v1.0/users")).isEqualTo(2);
    }

    @Test
    void aStepDeliveredBeforeItsPrerequisitesWaitsAndNeverAssignsTheRoleFirst() {
        String runId = runId(post("", null));
        host.stepsQueue().sendMessage(app.signatures()
                .sign(new StepMessage(runId, new StepKey("GlobalAdminAssignment", "bg01"), 1)).toJson());

        host.runUntilIdle(Duration.ofMinutes(5));

        var journal = tenant.fake().journal().entries();
        int firstSecret = indexOf(journal, "PUT", "/secrets/breakglass-bg01");
        int firstRole = indexOf(journal, "POST", "/v1.0/roleManagement/directory/roleAssignment.*");
        assertThat(firstSecret).as(journal.toString()).isNotNegative().isLessThan(firstRole);
        assertThat(tenant.fake().state().roleSchedules()).hasSize(2);
    }

    @Test
    void aForgedMessageNamingAPrincipalCausesNoGraphCallAndEndsInPoison() {
        host.stepsQueue().sendMessage("{\"step\":\"assignRole\",\"principalId\":\"attacker\",\"role\":\"GA\"}");
        host.stepsQueue().sendMessage(new StepMessage(UUID.randomUUID().toString(),
                new StepKey("GlobalAdminAssignment", "bg01"), 1).toJson());

        host.runUntilIdle(Duration.ofMinutes(1));

        assertThat(tenant.fake().journal().entries()).isEmpty();
        assertThat(host.failures()).hasSize(2 * FunctionsHost.MAX_DEQUEUE_COUNT)
                .allSatisfy(failure -> assertThat(failure).startsWith("InvalidMessageException: rejected queue message"));
    }

    @Test
    void aMessageWithoutBase64EncodingIsRejectedWithoutSideEffects() {
        var raw = new com.azure.storage.queue.QueueClientBuilder().connectionString(Azurite.shared().connectionString())
                .queueName(dev.breakglass.runs.StepQueue.NAME).buildClient();
        raw.sendMessage("{\"v\":1,\"run\":\"" + UUID.randomUUID() + "\",\"step\":\"TenantInfo\",\"generation\":1}");

        host.runUntilIdle(Duration.ofMinutes(1));

        assertThat(tenant.fake().journal().entries()).isEmpty();
        assertThat(host.failures()).isNotEmpty();
    }

    @Test
    void aMessageThatReachedThePoisonQueueFailsItsRunNamingTheStep() throws IOException {
        String runId = runId(post("", null));
        host.poisonQueue().sendMessage(app.signatures().sign(new StepMessage(runId, new StepKey("TenantInfo", null), 1))
                .toJson());
        host.stepsQueue().clearMessages();

        host.runUntilIdle(Duration.ofMinutes(1));

        HttpResponseMessage failed = get(runId);
        assertThat(failed.getStatusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree((String) failed.getBody());
        assertThat(problem.get("errorCode").asText()).isEqualTo("PoisonMessage");
        assertThat(problem.get("failedStep").asText()).isEqualTo("TenantInfo");
        assertThat(runId(post("", null))).as("the lock was released").isNotEqualTo(runId);
    }

    private HttpResponseMessage post(String body, String idempotencyKey) {
        FakeHttp.Request request = FakeHttp.request(HttpMethod.POST, "/api/provision");
        if (!body.isEmpty()) {
            request.json(body);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return provision.provision(request, FunctionsHost.context());
    }

    private HttpResponseMessage get(String runId) {
        return status.status(FakeHttp.request(HttpMethod.GET, "/api/runs/" + runId), runId, FunctionsHost.context());
    }

    private static String runId(HttpResponseMessage accepted) {
        assertThat(accepted.getStatusCode()).as(String.valueOf(accepted.getBody())).isEqualTo(202);
        String location = accepted.getHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static int indexOf(List<dev.breakglass.faketenant.Journal.Entry> journal, String method, String path) {
        for (int i = 0; i < journal.size(); i++) {
            if (journal.get(i).method().equals(method) && journal.get(i).path().matches(path)
                    && journal.get(i).status() / 100 == 2) {
                return i;
            }
        }
        return -1;
    }
}
