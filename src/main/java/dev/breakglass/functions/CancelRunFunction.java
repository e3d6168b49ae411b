package dev.breakglass.functions;

import com.azure.core.exception.AzureException;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.breakglass.runs.Run;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * {@code DELETE /api/runs/{id}} (A13): cancels a running run. Guarded like {@code POST /api/provision} (function
 * key, plus the app-role check), because it changes the tenant: the accounts the run left half-provisioned are
 * disabled (D13). Answers 202 with the run's {@code Location} and {@code Retry-After} whenever the run is canceling
 * or canceled, so a repeated DELETE gets the same answer; poll {@code Location} until the run is {@code Canceled}
 * (a 422 problem with {@code errorCode} {@code Canceled}). A run that already succeeded or failed is 409, an
 * unknown one 404.
 */
public final class CancelRunFunction {

    private final Supplier<FunctionsApp> app;
    private final CallerAuthorization authorization;

    public CancelRunFunction() {
        this(FunctionsApp::get, CallerAuthorization.fromEnvironment());
    }

    CancelRunFunction(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        this.app = app;
        this.authorization = authorization;
    }

    @FunctionName("cancelRun")
    public HttpResponseMessage cancel(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "runs/{id}") HttpRequestMessage<Optional<String>> request,
            @BindingName("id") String id,
            ExecutionContext context) {
        return authorization.guard(request, () -> handleCancel(request, id, context));
    }

    private HttpResponseMessage handleCancel(HttpRequestMessage<Optional<String>> request, String id,
            ExecutionContext context) {
        if (!ProvisionFunction.isRunId(id)) {
            return HttpJson.problem(request, HttpStatus.BAD_REQUEST, "InvalidRunId", "a run id is a lower-case UUID");
        }
        Optional<Run> run;
        try {
            if (!RunAccess.mayUse(app.get(), authorization, request, id)) {
                return HttpJson.problem(request, HttpStatus.NOT_FOUND, "RunNotFound", "no run with this id");
            }
            run = app.get().runs().cancel(id);
        } catch (AzureException | UncheckedIOException e) {
            LogRedaction.logger(context).log(Level.WARNING, "Storage unavailable while canceling a run: "
                    + e.getClass().getSimpleName());
            return HttpJson.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "StorageUnavailable",
                    "the run could not be canceled now; send the DELETE again");
        }
        if (run.isEmpty()) {
            return HttpJson.problem(request, HttpStatus.NOT_FOUND, "RunNotFound", "no run with this id");
        }
        return switch (run.get().status()) {
            case Canceling, Canceled -> ProvisionFunction.accepted(request, run.get());
            default -> HttpJson.problem(request, HttpStatus.CONFLICT, "RunFinished", "the run is "
                    + run.get().status() + "; only a running run can be canceled");
        };
    }
}
