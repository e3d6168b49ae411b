package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.HappyPath;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A7 and A8 under real concurrency: eight callers POST at the same instant, with the same Idempotency-Key and
 * body, or without a key. Every answer is 202 with the same Location, one run exists, one chain of messages
 * runs, and the tenant ends in the happy path's state.
 */
class ConcurrentProvisionIT {

    private static final int CALLERS = 8;

    private TestTenant tenant;
    private FunctionsApp app;
    private FunctionsHost host;
    private ProvisionFunction provision;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal());
        HappyPath.seedPolicy(tenant);
        FunctionsTestApp functions = FunctionsTestApp.start(tenant);
        app = functions.app();
        host = functions.host();
        provision = new ProvisionFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    @Covers(value = {"A7", "A8"}, proves = "Eight simultaneous POSTs with the same Idempotency-Key and body get the "
            + "same 202 Location, start one run and create every object once")
    void simultaneousPostsWithOneKeyStartOneRun() {
        assertOneRun(postAtOnce("same-key"));
    }

    @Test
    @Covers(value = "A8", proves = "Eight simultaneous POSTs without a key get the same 202 Location (the run lock), "
            + "start one run and create every object once")
    void simultaneousPostsWithoutAKeyStartOneRun() {
        assertOneRun(postAtOnce(null));
    }

    private void assertOneRun(List<HttpResponseMessage> responses) {
        Ledger.faultsInjected(CALLERS - 1);
        assertThat(responses).allSatisfy(response -> assertThat(response.getStatusCode())
                .as(String.valueOf(response.getBody())).isEqualTo(202));
        assertThat(responses.stream().map(response -> response.getHeader("Location")).distinct()).hasSize(1);
        var workflow = tenant.engine().workflow();
        long startingUnits = workflow.keys(tenant.spec()).stream()
                .filter(key -> workflow.prerequisites(tenant.spec(), key).isEmpty()).count();
        assertThat(host.stepsQueue().getProperties().getApproximateMessagesCount())
                .as("one message per unit of work that needs nothing first, once").isEqualTo(startingUnits);

        host.runUntilIdle(Duration.ofMinutes(3));

        String location = responses.get(0).getHeader("Location");
        String runId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(app.runs().find(runId).orElseThrow().status().name()).isEqualTo("Succeeded");
        Ledger.runCompleted();
        HappyPath.assertReached(tenant);
    }

    private List<HttpResponseMessage> postAtOnce(String idempotencyKey) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponseMessage>> calls = IntStream.range(0, CALLERS)
                .mapToObj(caller -> CompletableFuture.supplyAsync(() -> {
                    FakeHttp.Request request = FakeHttp.request(HttpMethod.POST, "/api/provision")
                            .json("{\"reason\":\"at once\"}");
                    if (idempotencyKey != null) {
                        request.header("Idempotency-Key", idempotencyKey);
                    }
                    await(go);
                    return provision.provision(request, FunctionsHost.context());
                })).toList();
        go.countDown();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
