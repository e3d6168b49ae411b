package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsContractTest {
    FakeTenant tenant;
    Wire wire;

    @BeforeEach
    void start() {
        tenant = FakeTenant.start(TenantSeed.demo());
        wire = new Wire(tenant);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void throttleSendsTheRawRetryAfterOrNoneAndFiresTheGivenNumberOfTimes() {
        tenant.faults().on("GET", "/v1.0/users").times(2).throttle("2.128");
        tenant.faults().on("GET", "/v1.0/domains").throttle(null);

        HttpResponse<String> first = wire.graph("GET", "/users", null);
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("2.128");
        assertThat(Wire.json(first).at("/error/code").asText()).isEqualTo("TooManyRequests");
        assertThat(wire.graph("GET", "/users", null).statusCode()).isEqualTo(429);
        assertThat(wire.graph("GET", "/users", null).statusCode()).isEqualTo(200);

        HttpResponse<String> noHeader = wire.graph("GET", "/domains", null);
        assertThat(noHeader.statusCode()).isEqualTo(429);
        assertThat(noHeader.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void serverErrorsAndArbitraryErrorsUseTheApisEnvelope() {
        tenant.faults().on("*", "/v1.0/users/.*").always().serverError(503);
        tenant.faults().on("POST", "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests")
                .error(400, "RoleAssignmentRequestPolicyValidationFailed", "The following policy rules failed: [\"ExpirationRule\"]");
        tenant.faults().on("PUT", "/secrets/.*").serverError(500);

        HttpResponse<String> graph = wire.graph("GET", "/users/x", null);
        assertThat(graph.statusCode()).isEqualTo(503);
        assertThat(Wire.json(graph).at("/error/innerError/request-id").isTextual()).isTrue();
        assertThat(wire.graph("GET", "/users/y", null).statusCode()).isEqualTo(503);

        HttpResponse<String> pim = wire.graph("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", "{}");
        assertThat(Wire.json(pim).at("/error/code").asText()).isEqualTo("RoleAssignmentRequestPolicyValidationFailed");
        assertThat(Wire.json(pim).at("/error/message").asText()).contains("ExpirationRule");

        HttpResponse<String> vault = wire.vault("PUT", "/secrets/a?api-version=7.6", "{\"value\":\"v\"}");
        assertThat(vault.statusCode()).isEqualTo(500);
        assertThat(Wire.json(vault).at("/error/innerError").isMissingNode()).isTrue();
        assertThat(Wire.json(vault).at("/error/code").asText()).isEqualTo("InternalServerError");
    }

    @Test
    void resetDropsTheConnectionAndIsJournaledAsZero() {
        // always(): HTTP clients silently retry an idempotent request once after a dropped connection.
        tenant.faults().on("GET", "/v1.0/users").always().reset();

        assertThatThrownBy(() -> wire.graph("GET", "/users", null)).isInstanceOf(UncheckedIOException.class);
        assertThat(tenant.journal().entries()).isNotEmpty().allMatch(e -> e.status() == 0);
        tenant.faults().clear();
        assertThat(wire.graph("GET", "/users", null).statusCode()).isEqualTo(200);
    }

    @Test
    void lostResponsePerformsTheRequestThenAnswers503() {
        tenant.faults().on("POST", "/v1.0/users").lostResponse();

        HttpResponse<String> lost = wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"));
        assertThat(lost.statusCode()).isEqualTo(503);
        assertThat(tenant.state().user("bg01@contoso.onmicrosoft.com")).isPresent();

        // What a client retrying the POST sees: the user exists.
        JsonNode retry = Wire.json(wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com")));
        assertThat(retry.at("/error/details/0/code").asText()).isEqualTo("ObjectConflict");
    }

    @Test
    void lostResponseWithResetPerformsTheRequestThenDropsTheConnection() {
        tenant.faults().on("PUT", "/secrets/.*").lostResponseWithReset();

        assertThatThrownBy(() -> wire.vault("PUT", "/secrets/bg01?api-version=7.6", "{\"value\":\"v\"}"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(tenant.state().secretVersions("bg01")).hasSize(1);
    }

    @Test
    void delayAndLatencySlowRequestsDown() {
        tenant.faults().on("GET", "/v1.0/domains").delay(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(wire.graph("GET", "/domains", null).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        tenant.latency(Duration.ofMillis(200));
        start = System.nanoTime();
        wire.graph("GET", "/domains", null);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void journalRecordsEveryRequestWithoutSecrets() {
        wire.graph("GET", "/users?$filter=userPrincipalName%20eq%20'a@contoso.com'", null);
        wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"));
        wire.send("GET", tenant.graphBaseUrl() + "/users", null, null);

        Journal journal = tenant.journal();
        assertThat(journal.entries()).hasSize(3);
        assertThat(journal.reads()).hasSize(2);
        assertThat(journal.writes()).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo("POST");
            assertThat(e.status()).isEqualTo(201);
        });
        assertThat(journal.entries().get(0).query()).isEqualTo("$filter=userPrincipalName eq 'a@contoso.com'");
        assertThat(journal.entries().get(2).status()).isEqualTo(401);
        assertThat(journal.count("GET", "/v1.0/users")).isEqualTo(2);
        assertThat(journal.entries().toString()).doesNotContain("Xw7!kq2#Lm9$").doesNotContain(tenant.accessToken());
        journal.clear();
        assertThat(journal.entries()).isEmpty();
    }
}
