package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * K1: stateful fuzzing of the HTTP API from docs/openapi.yaml. Every operation the document declares is called
 * through the {@code @FunctionName} method that serves its route (found by reflection, so routes added later are
 * fuzzed too), in random sequences by two authenticated callers (plus anonymous and role-less ones), with parameters
 * and bodies valid per the schema or mutated, while runs start and end. The model remembers which caller each run was
 * handed to, to check that no caller reads another's run.
 */
class ApiFuzzIT {

    private static final String ROLE = "Provision";
    private static final List<String> CALLERS = List.of("a0000000-0000-4000-8000-00000000000a",
            "b0000000-0000-4000-8000-00000000000b");
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at dev.", "java.", "com.azure",
            "com.microsoft", "okhttp", "jackson", "Caused by", "Bearer ", "fake.");
    /** A qualified Java class name, e.g. dev.breakglass.runs.RunStore. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w+");
    private static Setup setup;

    /** One tenant, app and model for every try: runs accumulate, as on a long-lived app. */
    private record Setup(TestTenant tenant, FunctionsApp app, List<OpenApiDocument.Operation> operations,
            Map<String, HttpFunctionRoutes.Route> routes, Map<String, Set<String>> handedTo) {
    }

    /** One step of a sequence: an HTTP call, or the end of the active run (as its last step would end it). */
    record Action(int caller, int operation, boolean mutate, long seed, boolean endRun) {
    }

    private static Setup setup() {
        if (setup == null) {
            // Runs start and end all through the sequences: the daily run limit is not what this test is about.
            TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.MAX_RUNS_PER_DAY, "1440");
            FunctionsApp app = FunctionsTestApp.start(tenant).app();
            var routes = HttpFunctionRoutes.discover(() -> app, new CallerAuthorization(ROLE, true));
            var operations = OpenApiDocument.load().operations();
            setup = new Setup(tenant, app, operations, routes, new ConcurrentHashMap<>());
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

    @net.jqwik.api.Example
    @Covers(value = {"K1"}, proves = "every operation docs/openapi.yaml declares is served by an HTTP-triggered"
            + " function on the same method and route, and every HTTP-triggered function is in the document")
    void theDocumentAndTheFunctionsDeclareTheSameRoutes() {
        Set<String> documented = new HashSet<>();
        setup().operations().forEach(op -> documented.add(key(op)));
        assertThat(setup().routes().keySet()).containsExactlyInAnyOrderElementsOf(documented);
    }

    @net.jqwik.api.Example
    @Covers(value = {"A9"}, proves = "a run started by caller A answers 404 to authenticated caller B, with the very"
            + " body an unknown id gets (no enumeration), while A polls it (202) and a caller without a token gets 401")
    void anotherCallersRunIsNotFound() {
        endActiveRun(0);
        // Callers of their own: the fuzzed sequences may have used up the shared callers' status-poll budget (A10).
        String a = java.util.UUID.randomUUID().toString();
        String b = java.util.UUID.randomUUID().toString();
        String runId = run(HttpMethod.POST, "/api/provision", null, a)
                .getHeader("Location").replaceAll(".*/", "");

        HttpResponseMessage own = run(HttpMethod.GET, "/api/runs/" + runId, runId, a);
        HttpResponseMessage other = run(HttpMethod.GET, "/api/runs/" + runId, runId, b);
        String unknownId = java.util.UUID.randomUUID().toString();
        HttpResponseMessage unknown = run(HttpMethod.GET, "/api/runs/" + unknownId, unknownId, b);
        HttpResponseMessage anonymous = run(HttpMethod.GET, "/api/runs/" + runId, runId, null);

        assertThat(own.getStatusCode()).isEqualTo(202);
        assertThat(other.getStatusCode()).isEqualTo(404);
        assertThat(withoutCorrelationId(other)).as("same body as an unknown id").isEqualTo(withoutCorrelationId(unknown));
        assertThat(anonymous.getStatusCode()).isEqualTo(401);
        endActiveRun(0);
    }

    @net.jqwik.api.Example
    @Covers(value = {"A9"}, proves = "a run started without App Service Authentication (local use, function keys only)"
            + " stays readable by its id, as README documents: ownership applies only to validated callers")
    void aRunStartedWithoutPlatformAuthenticationStaysReadableById() {
        endActiveRun(0);
        HttpResponseMessage started = new ProvisionFunction(() -> setup().app(), CallerAuthorization.FUNCTION_KEYS_ONLY)
                .provision(FakeHttp.request(HttpMethod.POST, "/api/provision"), FunctionsHost.context());
        String runId = started.getHeader("Location").replaceAll(".*/", "");

        HttpResponseMessage read = run(HttpMethod.GET, "/api/runs/" + runId, runId, java.util.UUID.randomUUID().toString());

        assertThat(read.getStatusCode()).isEqualTo(202);
        endActiveRun(0);
    }

    /** A problem's body without its correlationId, which is new for every response. */
    private static com.fasterxml.jackson.databind.JsonNode withoutCorrelationId(HttpResponseMessage response) {
        try {
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) HttpJson.JSON.readTree(
                    String.valueOf(response.getBody()));
            body.remove("correlationId");
            return body;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponseMessage run(HttpMethod method, String path, String id, String caller) {
        FakeHttp.Request request = FakeHttp.request(method, path);
        if (caller != null) {
            FuzzPrincipals.signIn(request, ROLE, caller);
        }
        String route = method.name() + (id == null ? " /provision" : " /runs/{id}");
        return setup().routes().get(route).invoke(request, id == null ? Map.of() : Map.of("id", id));
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    @Covers(value = {"K1", "A9", "A12"}, proves = "random sequences of documented calls, valid and mutated, by two"
            + " authenticated callers and unauthenticated ones, while runs start and end: never a 5xx or an exception,"
            + " only statuses the document declares for the operation, no Java/SDK text or token in an error body, and"
            + " a run is 404 to every authenticated caller it was not handed to")
    void documentedCallsByTwoCallersStayWithinTheContract(@ForAll("sequences") List<Action> actions) {
        for (Action action : actions) {
            if (action.endRun()) {
                endActiveRun(action.seed());
            } else {
                call(action);
            }
        }
    }

    private static void call(Action action) {
        OpenApiDocument.Operation operation = setup().operations().get(action.operation() % setup().operations().size());
        Random random = new Random(action.seed());
        SchemaValues values = new SchemaValues(random, () -> new ArrayList<>(setup().handedTo().keySet()));
        Map<String, String> pathValues = new HashMap<>();
        String path = operation.path();
        FakeHttp.Request request;
        boolean mutated = false;
        for (OpenApiDocument.Parameter parameter : operation.parameters()) {
            boolean breakIt = action.mutate() && random.nextInt(3) == 0;
            mutated |= breakIt;
            String value = breakIt ? values.odd() : values.valid(parameter.schema()).asText();
            if (parameter.in().equals("path")) {
                pathValues.put(parameter.name(), value);
                path = path.replace("{" + parameter.name() + "}", URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        request = FakeHttp.request(HttpMethod.valueOf(operation.method()), "/api" + path);
        for (OpenApiDocument.Parameter parameter : operation.parameters()) {
            if (!parameter.in().equals("path") && (parameter.required() || random.nextBoolean())) {
                boolean breakIt = action.mutate() && random.nextInt(3) == 0;
                mutated |= breakIt;
                String value = breakIt ? values.odd() : values.valid(parameter.schema()).asText();
                if (parameter.in().equals("query")) {
                    request.query(parameter.name(), value);
                } else if (parameter.in().equals("header")) {
                    request.header(parameter.name(), value);
                }
            }
        }
        if (operation.bodySchema() != null && random.nextInt(4) != 0) {
            boolean breakIt = action.mutate();
            mutated |= breakIt;
            request.json(breakIt ? values.mutatedBody(operation.bodySchema())
                    : values.valid(operation.bodySchema()).toString());
        }
        String caller = principal(request, action.caller());
        mutated |= caller == null;

        HttpResponseMessage response = setup().routes().get(key(operation)).invoke(request, pathValues);

        check(operation, caller, action.caller(), pathValues, response);
        remember(caller, response);
        Ledger.faultsInjected(mutated ? 1 : 0);
        Statistics.label("answer").collect(operation.toString(), response.getStatusCode());
    }

    private static void check(OpenApiDocument.Operation operation, String caller, int callerIndex,
            Map<String, String> pathValues, HttpResponseMessage response) {
        int status = response.getStatusCode();
        String body = String.valueOf(response.getBody());
        assertThat(status).as(operation + " status, body " + body).isLessThan(500);
        assertThat(operation.statuses()).as(operation + " answered " + status + ", which docs/openapi.yaml does not"
                + " declare; body " + body).contains(status);
        if (status >= 400) {
            assertThat(LEAKS).as("error body " + body).noneSatisfy(leak -> assertThat(body).contains(leak));
            assertThat(CLASS_NAME.matcher(body).find()).as("Java class name in " + body).isFalse();
            assertThat(body).doesNotContain(setup().tenant().fake().accessToken());
        }
        if (callerIndex == 8) {
            assertThat(status).as("no principal").isEqualTo(401);
        }
        String runId = pathValues.get("id");
        if (caller != null && operation.path().startsWith("/runs/{id}") && setup().handedTo().containsKey(runId)) {
            boolean handed = setup().handedTo().get(runId).contains(caller);
            Statistics.label("run ownership").collect(handed ? "own run" : "another caller's run");
            // 429: the per-caller poll limit answers before the run is even read, so it reveals nothing either.
            if (handed) {
                assertThat(status).as(operation + " by a caller the run was handed to").isNotEqualTo(404);
            } else {
                assertThat(status).as(operation + " of another caller's run").isIn(404, 429);
            }
        }
    }

    /** A 202 with a run's Location hands that run to the caller (it started or joined it). */
    private static void remember(String caller, HttpResponseMessage response) {
        String location = response.getHeader("Location");
        if (caller != null && response.getStatusCode() == 202 && location != null && location.contains("/api/runs/")) {
            String id = location.substring(location.lastIndexOf('/') + 1);
            setup().handedTo().computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(caller);
        }
    }

    /** Sets the principal header for caller index 0–9: mostly A or B, sometimes none, a wrong role or garbage. */
    private static String principal(FakeHttp.Request request, int index) {
        if (index < 8) {
            String caller = CALLERS.get(index / 4);
            FuzzPrincipals.signIn(request, ROLE, caller);
            return caller;
        }
        if (index == 9) {
            FuzzPrincipals.signIn(request, "Reader", CALLERS.get(0));
        }
        return null;
    }

    /**
     * Ends the run that holds the provisioning lock, as its last step would; a run a fuzzed DELETE left Canceling (no
     * host delivers its compensation here) settles as Canceled.
     */
    private static void endActiveRun(long seed) {
        setup().app().runs().active().ifPresent(run -> {
            boolean fails = seed % 2 != 0;
            RunStatus end = run.status() == RunStatus.Canceling ? RunStatus.Canceled
                    : fails || run.status() == RunStatus.Failing ? RunStatus.Failed : RunStatus.Succeeded;
            setup().app().store().transition(run.id(), run.status(), end, null, fails ? "EndedByFuzzer" : null,
                    fails ? "ended by the fuzzer" : null);
        });
    }

    private static String key(OpenApiDocument.Operation operation) {
        return operation.method() + " " + operation.path();
    }

    @Provide
    Arbitrary<List<Action>> sequences() {
        Arbitrary<Action> call = Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 999), Arbitraries.of(true, false, false), Arbitraries.longs())
                .as((caller, operation, mutate, seed) -> new Action(caller, operation, mutate, seed, false));
        Arbitrary<Action> end = Arbitraries.longs().map(seed -> new Action(0, 0, false, seed, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, call), net.jqwik.api.Tuple.of(2, end))
                .list().ofMinSize(4).ofMaxSize(10);
    }
}
