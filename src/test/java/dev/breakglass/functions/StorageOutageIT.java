package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClientBuilder;
import com.azure.storage.queue.QueueClientBuilder;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.runs.RunStore;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.testing.TestTenant;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A11: storage down → 503 with Retry-After, never a 202 for a run that was not recorded. */
class StorageOutageIT {

    @Test
    void answers503WithRetryAfterWhenTheRunCannotBeRecorded() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "QueueEndpoint=http://127.0.0.1:" + deadPort + "/devstoreaccount1;TableEndpoint=http://127.0.0.1:"
                + deadPort + "/devstoreaccount1;";
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            FunctionsApp app = new FunctionsApp(tenant.spec(), tenant.engine(),
                    new RunStore(new TableClientBuilder().connectionString(unreachable).tableName(FunctionsApp.RUNS_TABLE)
                            .buildClient(), Clock.systemUTC()),
                    new StepQueue(new QueueClientBuilder().connectionString(unreachable).queueName(StepQueue.NAME)
                            .buildClient()), Clock.systemUTC());

            HttpResponseMessage response = new ProvisionFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY)
                    .provision(FakeHttp.request(HttpMethod.POST, "/api/provision").json("{}"), FunctionsHost.context());

            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(response.getHeader("Retry-After")).isEqualTo("5");
            assertThat((String) response.getBody()).doesNotContain("Exception").doesNotContain("127.0.0.1");
            assertThat(tenant.fake().journal().entries()).isEmpty();
        }
    }
}
