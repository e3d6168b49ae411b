package dev.breakglass.functions;

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
import dev.breakglass.exports.ExportFormat;
import dev.breakglass.exports.Inventory;
import dev.breakglass.reconcile.CloudException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/exports/{format}}: the file another tool reads to recognise the emergency accounts
 * (Maester, ScubaGear, Zero Trust Assessment, a Sentinel watchlist), generated from the live tenant on
 * every call. Reads only; see {@code docs/exports.md}.
 */
public final class ExportFunction {

    private final Supplier<FunctionsApp> app;
    private final CallerAuthorization authorization;

    public ExportFunction() {
        this(FunctionsApp::get, CallerAuthorization.fromEnvironment());
    }

    ExportFunction(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        this.app = app;
        this.authorization = authorization;
    }

    @FunctionName("export")
    public HttpResponseMessage export(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "exports/{format}") HttpRequestMessage<Optional<String>> request,
            @BindingName("format") String format,
            ExecutionContext context) {
        return authorization.guard(request, () -> handleExport(request, format, context));
    }

    private HttpResponseMessage handleExport(HttpRequestMessage<Optional<String>> request, String format,
            ExecutionContext context) {
        Optional<ExportFormat> chosen = ExportFormat.of(format);
        if (chosen.isEmpty()) {
            ObjectNode problem = HttpJson.problemBody(HttpStatus.BAD_REQUEST, "UnknownExportFormat",
                    "the formats are " + String.join(", ", ExportFormat.ids()));
            ExportFormat.ids().forEach(problem.putArray("formats")::add);
            return HttpJson.problem(request, HttpStatus.BAD_REQUEST, problem);
        }
        FunctionsApp functions = app.get();
        Inventory inventory;
        try {
            inventory = functions.engine().inventory().read(functions.spec());
        } catch (CloudException e) {
            return CloudProblems.of(request, e, LogRedaction.logger(context), "Export as " + chosen.get().id());
        }
        String mediaType = chosen.get().mediaType() + (chosen.get().mediaType().startsWith("text/") ? "; charset=utf-8" : "");
        return request.createResponseBuilder(HttpStatus.OK)
                .header("Content-Type", mediaType)
                .header("Content-Disposition", "attachment; filename=\"" + chosen.get().fileName() + "\"")
                .body(chosen.get().render(inventory))
                .build();
    }
}
