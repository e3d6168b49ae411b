package dev.breakglass.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStatus;
import dev.breakglass.runs.StepCondition;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/runs/{id}}: 202 (with Location and Retry-After) while the run is running, because
 * Logic Apps polls until the first non-202, and also while a canceled or failed run is still compensating
 * (Canceling, Failing); 200 with a per-step summary when it succeeded; an RFC 9457 problem with a 4xx status and an
 * {@code errorCode} when it failed, or was canceled ({@code errorCode} {@code Canceled}), so that a Logic App stops
 * rather than retrying as it would on a 5xx, and ends Failed rather than Succeeded: a canceled run provisioned
 * nothing usable. The per-account compensation (D13) is in the summary's steps ({@code Compensate}).
 *
 * <p>This route asks for no function key. A Logic App's HTTP action polls the {@code Location} URL itself and
 * re-applies its {@code authentication} (the managed-identity token) to each poll, but nothing guarantees it re-sends
 * custom headers such as {@code x-functions-key}; a key in the URL would put a secret into every caller's run history
 * (TESTS.md A9: "status URLs contain no function/system key"). The route is guarded instead by App Service
 * Authentication plus the app-role check, as infra/ deploys it, and a run id is a random UUID whose status carries no
 * secret; without platform authentication and {@code BREAKGLASS_REQUIRED_APP_ROLE} (local use), knowing the id is
 * enough to read the status.
 */
public final class RunStatusFunction {

    private final Supplier<FunctionsApp> app;
    private final CallerAuthorization authorization;

    public RunStatusFunction() {
        this(FunctionsApp::get, CallerAuthorization.fromEnvironment());
    }

    RunStatusFunction(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        this.app = app;
        this.authorization = authorization;
    }

    @FunctionName("runStatus")
    public HttpResponseMessage status(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "runs/{id}") HttpRequestMessage<Optional<String>> request,
            @BindingName("id") String id,
            ExecutionContext context) {
        return authorization.guard(request, () -> limited(request).orElseGet(() -> handleStatus(request, id, context)));
    }

    /** 429 before any storage read when this caller polls faster than the limit (TESTS.md A10). */
    private Optional<HttpResponseMessage> limited(HttpRequestMessage<Optional<String>> request) {
        return app.get().statusLimiter().acquire(authorization.callerKey(request)).map(wait -> HttpJson.tooManyRequests(
                request, "TooManyRequests", "poll this run at most once a second after a burst of a few; "
                        + "wait the Retry-After seconds", ceilSeconds(wait)));
    }

    private static long ceilSeconds(Duration wait) {
        return (wait.toNanos() + 999_999_999L) / 1_000_000_000L;
    }

    private HttpResponseMessage handleStatus(HttpRequestMessage<Optional<String>> request, String id,
            ExecutionContext context) {
        if (!ProvisionFunction.isRunId(id)) {
            return HttpJson.problem(request, HttpStatus.BAD_REQUEST, "InvalidRunId", "a run id is a lower-case UUID");
        }
        Optional<Run> run = app.get().runs().find(id);
        if (run.isEmpty() || !RunAccess.mayUse(app.get(), authorization, request, id)) {
            // The same answer as for an unknown id, so another caller cannot tell that the run exists.
            return HttpJson.problem(request, HttpStatus.NOT_FOUND, "RunNotFound", "no run with this id");
        }
        ObjectNode summary = summary(run.get(), app.get().runs().conditions(id));
        if (run.get().status().active()) {
            return request.createResponseBuilder(HttpStatus.ACCEPTED)
                    .header("Content-Type", "application/json")
                    .header("Location", HttpJson.runUrl(request, id))
                    .header("Retry-After", String.valueOf(HttpJson.RETRY_AFTER_SECONDS))
                    .body(summary.toString()).build();
        }
        if (run.get().status() == RunStatus.Succeeded) {
            return HttpJson.json(request, HttpStatus.OK, summary);
        }
        ObjectNode problem = HttpJson.JSON.createObjectNode();
        problem.put("type", "https://github.com/breakglass/breakglass/blob/main/README.md#http-api");
        problem.put("title", run.get().status() == RunStatus.Canceled ? "The provisioning run was canceled"
                : "The provisioning run failed");
        problem.put("status", 422);
        problem.put("errorCode", run.get().errorCode());
        problem.put("detail", run.get().error());
        problem.put("failedStep", run.get().failedStep());
        problem.put("instance", "/api/runs/" + id);
        problem.set("run", summary);
        return HttpJson.problem(request, HttpStatus.valueOf(422), problem);
    }

    static ObjectNode summary(Run run, Map<StepKey, StepCondition> conditions) {
        ObjectNode summary = HttpJson.JSON.createObjectNode();
        summary.put("id", run.id());
        summary.put("status", run.status().name());
        summary.put("dryRun", run.dryRun());
        summary.put("reason", run.reason());
        summary.put("createdAt", run.createdAt().toString());
        summary.put("updatedAt", run.updatedAt().toString());
        ArrayNode steps = summary.putArray("steps");
        conditions.values().forEach(condition -> {
            ObjectNode step = steps.addObject();
            step.put("step", condition.key().step());
            step.put("target", condition.key().target());
            step.put("state", condition.state().name());
            step.put("reason", condition.reason());
            step.put("message", condition.message());
            step.put("attempts", condition.attempts());
        });
        return summary;
    }
}
