package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * F11 through the synchronous functions on Azurite and the fake tenant: when Graph or Key Vault answer 400 with an
 * error body, the caller gets a problem with the service's status and error code and a {@code correlationId}; the
 * service's message (which can echo what was sent), stack traces, SDK text and tokens stay out of the response. The
 * same correlation id is in the log line that holds the service's message, so an operator can join them.
 */
class ProblemDetailsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The service's own message, as Graph would put it in its error body. */
    private static final String SERVICE_MESSAGE = "Invalid value specified for property 'mailNickname' of resource "
            + "'User' (graph-raw-4f1d)";
    private static final List<String> LEAKS = List.of("graph-raw-4f1d", "Exception", "\tat ", "at dev.", "java.",
            "com.azure", "com.microsoft", "okhttp", "eyJ", "Bearer", "innerError", "request-id");

    private TestTenant tenant;
    private FunctionsApp app;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring();
        app = FunctionsTestApp.start(tenant).app();
        tenant.fake().faults().on("*", "/v1.0/.*").always().error(400, "Request_BadRequest", SERVICE_MESSAGE);
        tenant.fake().faults().on("*", "/secrets.*").always().error(400, "BadParameter", SERVICE_MESSAGE);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    @Covers(value = {"F11"}, proves = "A 400 with an error body from Graph during GET /api/exports/{format} answers a "
            + "502 problem with Graph's status and code and a correlationId, without Graph's message, a stack trace, "
            + "SDK text or a token; the log line with that correlationId holds Graph's message")
    void aGraphErrorDuringAnExportIsAProblemWithACorrelationIdTheLogShares() throws IOException {
        ExportFunction export = new ExportFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);

        assertCorrelatedProblem(() -> export.export(FakeHttp.request(HttpMethod.GET, "/api/exports/maester"), "maester",
                FunctionsHost.context()), 502);
    }

    @Test
    @Covers(value = {"F11"}, proves = "A 400 with an error body from Key Vault or Graph during POST "
            + "/api/accounts/{key}/rotate answers a problem with a correlationId and none of the service's message, "
            + "stack traces, SDK text or tokens; the log line with that correlationId holds the service's message")
    void aServiceErrorDuringARotationIsAProblemWithACorrelationIdTheLogShares() throws IOException {
        RotatePasswordFunction rotate = new RotatePasswordFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);

        assertCorrelatedProblem(() -> rotate.rotate(FakeHttp.request(HttpMethod.POST, "/api/accounts/bg01/rotate"),
                "bg01", FunctionsHost.context()), 502);
    }

    @Test
    @Covers(value = {"F11"}, proves = "A problem the app answers on its own (an unknown account) carries a "
            + "correlationId that is also logged with its error code and route")
    void everyProblemCarriesALoggedCorrelationId() throws IOException {
        RotatePasswordFunction rotate = new RotatePasswordFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);

        try (LogCapture log = LogCapture.start()) {
            HttpResponseMessage response = rotate.rotate(FakeHttp.request(HttpMethod.POST, "/api/accounts/bg99/rotate"),
                    "bg99", FunctionsHost.context());

            assertThat(response.getStatusCode()).isEqualTo(404);
            String correlationId = JSON.readTree((String) response.getBody()).get("correlationId").asText();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains(correlationId, "AccountNotFound",
                    "/api/accounts/bg99/rotate"));
        }
    }

    private void assertCorrelatedProblem(Supplier<HttpResponseMessage> call, int status) throws IOException {
        int tenantRequests = tenant.fake().journal().entries().size();
        try (LogCapture log = LogCapture.start()) {
            HttpResponseMessage response = call.get();

            assertThat(tenant.fake().journal().entries()).as("the fault was met").hasSizeGreaterThan(tenantRequests);
            Ledger.faultsInjected(1);
            String body = (String) response.getBody();
            assertThat(response.getStatusCode()).as(body).isEqualTo(status);
            assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = JSON.readTree(body);
            assertThat(problem.get("errorCode").asText()).isIn("Request_BadRequest", "BadParameter");
            assertThat(problem.get("detail").asText()).contains("400");
            String correlationId = problem.get("correlationId").asText();
            assertThat(UUID.fromString(correlationId)).hasToString(correlationId);
            assertThat(LEAKS).as("response body " + body).noneSatisfy(leak -> assertThat(body).contains(leak));
            assertThat(log.lines()).as("the log line an operator joins on").anySatisfy(line -> assertThat(line)
                    .contains(correlationId, "graph-raw-4f1d"));
        }
    }
}
