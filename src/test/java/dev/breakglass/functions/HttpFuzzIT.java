package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.testing.Azurite;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A5, A6, A9, A12 and F4–F8 as generated input: bodies, headers (content type, the platform's principal
 * header, idempotency keys) and run ids against the provision and status functions, wired to Azurite and
 * the fake tenant with the app-role check on. Whatever comes in: never a 5xx, never a stack trace or
 * Java/SDK text in the response, and a rejected request has no side effect: no queue message, no row in
 * the run table, no request to the tenant.
 */
class HttpFuzzIT {

    private static final String ROLE = "Provision";
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at dev.", "java.", "com.azure",
            "com.microsoft", "okhttp", "jackson", "Caused by");
    private static final java.util.concurrent.atomic.AtomicInteger CALLERS = new java.util.concurrent.atomic.AtomicInteger();
    private static Setup setup;

    /** One tenant and app for every try: the run lock makes all accepted posts share one run. */
    private record Setup(TestTenant tenant, ProvisionFunction provision, RunStatusFunction status,
            CancelRunFunction cancel, TableClient table, com.azure.storage.queue.QueueClient queue) {
    }

    private static Setup setup() {
        if (setup == null) {
            TestTenant tenant = TestTenant.start(TenantSeed.minimal());
            FunctionsApp app = FunctionsTestApp.start(tenant).app();
            TableClient table = FunctionsTestApp.runTable();
            var queue = FunctionsHost.queue(Azurite.shared().connectionString(), StepQueue.NAME);
            var authorization = new CallerAuthorization(ROLE, true);
            setup = new Setup(tenant, new ProvisionFunction(() -> app, authorization),
                    new RunStatusFunction(() -> app, authorization), new CancelRunFunction(() -> app, authorization),
                    table, queue);
        }
        return setup;
    }

    @AfterContainer
    static void stop() {
        if (setup != null) {
            setup.tenant().close();
            setup = null;
        }
    }

    @Property(tries = 300)
    @Covers(value = {"A5", "A6", "A12", "F4", "F5", "F6", "F7", "F8"}, proves = "Generated POST "
            + "/api/provision requests (bodies, content types, principal headers, idempotency keys): never a 5xx, "
            + "never Java or SDK text in the response, no queue message, run row or tenant request when rejected")
    void provisionNeverFailsOpenNorLeaks(@ForAll("bodies") String body, @ForAll("contentTypes") String contentType,
            @ForAll("principals") String principal, @ForAll("idempotencyKeys") String idempotencyKey) {
        FakeHttp.Request request = FakeHttp.request(HttpMethod.POST, "/api/provision").body(body);
        optionalHeader(request, "Content-Type", contentType);
        optionalHeader(request, "x-ms-client-principal", principal);
        optionalHeader(request, "Idempotency-Key", idempotencyKey);
        Effects before = Effects.now(setup());

        HttpResponseMessage response = setup().provision().provision(request, FunctionsHost.context());

        checkResponse(response);
        if (response.getStatusCode() >= 400) {
            Ledger.faultsInjected(1);
            assertThat(Effects.now(setup())).as("side effects of a rejected request").isEqualTo(before);
        } else {
            assertThat(response.getStatusCode()).isEqualTo(202);
            assertThat(response.getHeader("Location")).startsWith("https://breakglass-func.azurewebsites.net/api/runs/");
        }
        net.jqwik.api.statistics.Statistics.label("answer").collect(response.getStatusCode());
    }

    @Property(tries = 200)
    @Covers(value = {"A9", "A12", "F4"}, proves = "Generated GET /api/runs/{id} requests (ids, principal headers): "
            + "never a 5xx, never Java or SDK text, never a write anywhere")
    void runStatusNeverFailsOpenNorLeaks(@ForAll("runIds") String id, @ForAll("principals") String principal) {
        FakeHttp.Request request = FakeHttp.request(HttpMethod.GET, "/api/runs/x");
        optionalHeader(request, "x-ms-client-principal", principal);
        // A caller of its own per try: the per-caller poll limit (A10, StatusRateLimitIT) would otherwise answer
        // most tries with 429 before the id is looked at.
        int caller = CALLERS.incrementAndGet();
        request.header("x-forwarded-for", "10.0." + (caller / 256 % 256) + "." + (caller % 256));
        Effects before = Effects.now(setup());

        HttpResponseMessage response = setup().status().status(request, id, FunctionsHost.context());

        checkResponse(response);
        Ledger.faultsInjected(response.getStatusCode() >= 400 ? 1 : 0);
        assertThat(Effects.now(setup())).as("side effects of a status read").isEqualTo(before);
    }

    @Property(tries = 100)
    @Covers(value = {"A12", "A13", "F4"}, proves = "Generated DELETE /api/runs/{id} requests for runs that do not "
            + "exist (ids, principal headers): never a 5xx, never Java or SDK text, never a write anywhere")
    void cancelNeverFailsOpenNorLeaks(@ForAll("runIds") String id, @ForAll("principals") String principal) {
        FakeHttp.Request request = FakeHttp.request(HttpMethod.DELETE, "/api/runs/x");
        optionalHeader(request, "x-ms-client-principal", principal);
        Effects before = Effects.now(setup());

        HttpResponseMessage response = setup().cancel().cancel(request, id, FunctionsHost.context());

        checkResponse(response);
        assertThat(response.getStatusCode()).as("no such run to cancel").isGreaterThanOrEqualTo(400);
        Ledger.faultsInjected(1);
        assertThat(Effects.now(setup())).as("side effects of a refused cancel").isEqualTo(before);
    }

    private static void checkResponse(HttpResponseMessage response) {
        assertThat(response.getStatusCode()).as("status").isBetween(200, 499);
        String body = String.valueOf(response.getBody());
        assertThat(LEAKS).as("response body " + body).noneSatisfy(leak -> assertThat(body).contains(leak));
    }

    /** What a request could have changed: queue messages, run table rows, requests to the tenant. */
    private record Effects(int queued, long rows, int tenantRequests) {
        static Effects now(Setup setup) {
            return new Effects(setup.queue().getProperties().getApproximateMessagesCount(),
                    setup.table().listEntities().stream().count(), setup.tenant().fake().journal().entries().size());
        }
    }

    private static void optionalHeader(FakeHttp.Request request, String name, String value) {
        if (!value.equals("<none>")) {
            request.header(name, value);
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> keys = Arbitraries.of("reason", "dryRun", "role", "principalId", "objectId", "workspaceId",
                "excludePolicies", "actionGroupEmails", "userPrincipalName", "displayName", "", "__proto__");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(HttpFuzzIT::jsonString),
                Arbitraries.of("true", "false", "null", "1e999", "[]", "{}", "-0", "\"bg01@evil.example\"",
                        "\"bg.@fabrikam.onmicrosoft.com\"", "\"\\u202Eevil\"", "\"a\\r\\nb\"", "\"\\u0000\""));
        Arbitrary<String> objects = Combinators.combine(keys, values).as((key, value) -> "{\"" + key + "\":" + value + "}");
        Arbitrary<String> valid = Arbitraries.of("", "{}", "{\"reason\":\"fuzz\"}", "{\"dryRun\":true}");
        return Arbitraries.frequencyOf(Tuple.of(3, noise), Tuple.of(3, objects), Tuple.of(3, valid),
                Tuple.of(1, Arbitraries.of("[".repeat(600) + "]".repeat(600), "{\"reason\":\"" + "x".repeat(40_000) + "\"}")));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("application/json", "application/json; charset=utf-8")),
                Tuple.of(3, Arbitraries.of("<none>", "text/plain", "application/xml", "multipart/form-data; boundary=x",
                        "application/json\r\nX: y")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(60)));
    }

    @Provide
    Arbitrary<String> principals() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(principal(ROLE))),
                Tuple.of(3, Arbitraries.of("<none>", principal("Reader"), principal(""), base64("{\"claims\":null}"),
                        base64("[]"), base64("not json"), "%%%not-base64%%%")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(100)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(100).map(HttpFuzzIT::base64)));
    }

    @Provide
    Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("<none>", "key-1")),
                Tuple.of(3, Arbitraries.of("", " ", "k".repeat(300), "ключ", "a\r\nb")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(80)));
    }

    @Provide
    Arbitrary<String> runIds() {
        return Arbitraries.oneOf(Arbitraries.of("", "..", "../../admin", "x".repeat(10_000), "%2e%2e%2f",
                "00000000-0000-0000-0000-000000000000", "'; DROP TABLE runs; --", "PartitionKey eq 'runs'"),
                Arbitraries.strings().ofMaxLength(120), Arbitraries.create(() -> java.util.UUID.randomUUID().toString()));
    }

    private static String principal(String role) {
        return base64("{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"roles\",\"val\":\"" + role + "\"}]}");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
