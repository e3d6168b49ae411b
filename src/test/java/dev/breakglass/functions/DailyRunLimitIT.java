package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.RunStore;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.Azurite;
import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * F10, the "more than N requests a day" half, through {@code POST /api/provision} on Azurite with
 * {@code BREAKGLASS_MAX_RUNS_PER_DAY=2}. Runs are ended by recording their verdict rather than by driving them
 * (a whole run costs ~10 s and adds nothing here: the quota is decided before the first message). The other half,
 * "more than the configured maximum of accounts", is enforced when the settings load: SpecLoader accepts 1 to 10
 * accounts ({@code SpecLoaderTest.rejectsABadSettingNamingIt}), so no request can ask for more.
 */
class DailyRunLimitIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Covers(value = {"F10", "A5", "A8"}, proves = "With a limit of 2 runs a day, a third run is refused with 429, a "
            + "Retry-After reaching the next UTC midnight and a security event, and creates no run row, queue message "
            + "or tenant request; posts answered with an existing run (in flight, or by Idempotency-Key) cost no quota")
    void theRunBeyondTheDailyLimitIsRefusedWithoutSideEffectsAndAlerts() throws IOException {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            tenant.set(Setting.MAX_RUNS_PER_DAY, "2");
            FunctionsTestApp.start(tenant);
            // A frozen clock: the day cannot change under the test, and Retry-After is exact.
            Clock clock = Clock.fixed(Instant.parse("2026-03-01T21:00:00Z"), ZoneOffset.UTC);
            String storage = Azurite.shared().connectionString();
            FunctionsApp app = new FunctionsApp(tenant.spec(), tenant.engine(),
                    new RunStore(FunctionsTestApp.runTable(), clock),
                    new StepQueue(FunctionsHost.queue(storage, StepQueue.NAME)), clock);
            ProvisionFunction provision = new ProvisionFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
            LocalDate today = LocalDate.of(2026, 3, 1);

            String first = runId(post(provision, "k1"));
            assertThat(runId(post(provision, null))).as("A8: the run in flight").isEqualTo(first);
            end(app, first);
            String second = runId(post(provision, "k2"));
            end(app, second);
            assertThat(runId(post(provision, "k2"))).as("A5: same Idempotency-Key").isEqualTo(second);
            assertThat(app.store().runsCounted(today)).isEqualTo(2);

            Effects before = Effects.now(tenant);
            HttpResponseMessage refused;
            List<LogRecord> logged;
            try (LogCapture capture = LogCapture.start()) {
                refused = post(provision, "k3");
                logged = capture.records();
            }

            Ledger.faultsInjected(1);
            assertThat(refused.getStatusCode()).isEqualTo(429);
            assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = JSON.readTree((String) refused.getBody());
            assertThat(problem.get("errorCode").asText()).isEqualTo("DailyRunLimitReached");
            assertThat(refused.getHeader("Retry-After")).as("three hours to midnight UTC").isEqualTo("10801");
            assertThat(Effects.now(tenant)).as("side effects of the refused post").isEqualTo(before);
            assertThat(app.store().runsCounted(today)).isEqualTo(2);
            assertThat(logged).filteredOn(record -> record.getLoggerName().equals("dev.breakglass.security"))
                    .singleElement().satisfies(event -> assertThat(event.getMessage())
                            .startsWith("SECURITY:").contains("BREAKGLASS_MAX_RUNS_PER_DAY"));
        }
    }

    private static HttpResponseMessage post(ProvisionFunction provision, String idempotencyKey) {
        FakeHttp.Request request = FakeHttp.request(HttpMethod.POST, "/api/provision").json("{\"dryRun\":true}");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return provision.provision(request, FunctionsHost.context());
    }

    private static String runId(HttpResponseMessage response) throws IOException {
        assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(202);
        return JSON.readTree((String) response.getBody()).get("id").asText();
    }

    /** Records a verdict, as the last step would: the run no longer holds the provisioning lock. */
    private static void end(FunctionsApp app, String runId) {
        app.store().finish(runId, RunStatus.Succeeded, null, null, null);
    }

    /** What a post could have changed: run rows, step messages, requests to the tenant. */
    private record Effects(long runRows, int queued, int tenantRequests) {
        static Effects now(TestTenant tenant) {
            TableClient table = FunctionsTestApp.runTable();
            QueueClient queue = FunctionsHost.queue(Azurite.shared().connectionString(), StepQueue.NAME);
            return new Effects(table.listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq 'runs'"), null, null)
                    .stream().count(), queue.getProperties().getApproximateMessagesCount(),
                    tenant.fake().journal().entries().size());
        }
    }
}
