package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.runs.RunStore;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A10 through {@code GET /api/runs/{id}} on Azurite: a caller that polls 60 times in a burst, ignoring
 * Retry-After, is served its burst and then refused with 429 before the run table is read. The app's clock is
 * frozen so no token is earned during the burst, which makes the count exact.
 */
class StatusRateLimitIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Covers(value = {"A10"}, proves = "60 status polls in a burst from one caller: 10 answered from the run table, "
            + "50 answered 429 problem+json with an integer Retry-After and no table request; another caller is "
            + "still served; no request reaches the tenant")
    void aCallerHammeringTheStatusRouteGets429BeforeAnyStorageRead() throws IOException {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            FunctionsApp starter = FunctionsTestApp.start(tenant).app();
            String runId = starter.runs().start("A10", true).id();
            AtomicInteger tableRequests = new AtomicInteger();
            FunctionsApp app = countingTableRequests(tenant, tableRequests);
            RunStatusFunction status = new RunStatusFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
            int tenantRequests = tenant.fake().journal().entries().size();

            List<HttpResponseMessage> answers = new ArrayList<>();
            for (int poll = 0; poll < 60; poll++) {
                answers.add(status.status(poll(runId, "203.0.113.7:5000" + poll % 10), runId, FunctionsHost.context()));
            }

            assertThat(answers.subList(0, 10)).allSatisfy(answer -> assertThat(answer.getStatusCode()).isEqualTo(202));
            List<HttpResponseMessage> refused = answers.subList(10, 60);
            assertThat(refused).allSatisfy(answer -> {
                assertThat(answer.getStatusCode()).isEqualTo(429);
                assertThat(answer.getHeader("Retry-After")).matches("[1-9][0-9]*");
                assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
                JsonNode problem = JSON.readTree((String) answer.getBody());
                assertThat(problem.get("errorCode").asText()).isEqualTo("TooManyRequests");
                assertThat(problem.get("correlationId").asText()).isNotBlank();
            });
            Ledger.faultsInjected(refused.size());
            assertThat(tableRequests.get()).as("table requests: find and conditions for each of the 10 served polls")
                    .isEqualTo(20);
            assertThat(tenant.fake().journal().entries()).hasSize(tenantRequests);

            HttpResponseMessage other = status.status(poll(runId, "198.51.100.1"), runId, FunctionsHost.context());
            assertThat(other.getStatusCode()).as("another caller's poll").isEqualTo(202);
        }
    }

    private static FakeHttp.Request poll(String runId, String forwardedFor) {
        return FakeHttp.request(HttpMethod.GET, "/api/runs/" + runId).header("X-Forwarded-For", forwardedFor);
    }

    /** The app over the same Azurite tables and queue, with every run-table request counted and a frozen clock. */
    private static FunctionsApp countingTableRequests(TestTenant tenant, AtomicInteger requests) {
        String storage = dev.breakglass.testing.Azurite.shared().connectionString();
        HttpPipelinePolicy counting = new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                requests.incrementAndGet();
                return next.process();
            }
        };
        var table = new TableClientBuilder().connectionString(storage).tableName(FunctionsApp.RUNS_TABLE)
                .addPolicy(counting).buildClient();
        Clock frozen = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        return new FunctionsApp(tenant.spec(), tenant.engine(), new RunStore(table, frozen),
                new StepQueue(FunctionsHost.queue(storage, StepQueue.NAME)), frozen);
    }
}
