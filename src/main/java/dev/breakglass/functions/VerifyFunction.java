package dev.breakglass.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.DriftReport;
import dev.breakglass.reconcile.ReportFormat;
import dev.breakglass.reconcile.StepEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verification: on the {@code BREAKGLASS_VERIFY_SCHEDULE} timer (NCRONTAB, UTC) and on demand. It
 * observes only, stores and logs the drift report, and starts a provisioning run only when
 * remediation is on. A lock in the run table keeps two verifications from overlapping, on one
 * instance or several.
 */
public final class VerifyFunction {

    private static final String LOCK = "verify";
    private static final Duration LOCK_FOR = Duration.ofMinutes(10);

    private final Supplier<FunctionsApp> app;
    private final CallerAuthorization authorization;

    public VerifyFunction() {
        this(FunctionsApp::get, CallerAuthorization.fromEnvironment());
    }

    VerifyFunction(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        this.app = app;
        this.authorization = authorization;
    }

    @FunctionName("verifyOnSchedule")
    public void onSchedule(
            @TimerTrigger(name = "timer", schedule = "%BREAKGLASS_VERIFY_SCHEDULE%") String timer,
            ExecutionContext context) {
        verify(LogRedaction.logger(context)).ifPresent(report -> {
            if (report.healable() && app.get().spec().remediation()) {
                var run = app.get().runs().start("drift found by scheduled verification", false);
                LogRedaction.logger(context).info("Started provisioning run " + run.id() + " to heal drift");
            }
        });
    }

    @FunctionName("verify")
    public HttpResponseMessage verifyNow(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "verify") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return authorization.guard(request, () -> handleVerifyNow(request, context));
    }

    private HttpResponseMessage handleVerifyNow(HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        Optional<DriftReport> report = verify(LogRedaction.logger(context));
        if (report.isEmpty()) {
            return HttpJson.problem(request, HttpStatus.CONFLICT, "VerificationInProgress",
                    "a verification is already running; GET /api/status shortly");
        }
        return render(request, report.get());
    }

    @FunctionName("status")
    public HttpResponseMessage latest(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "status") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return authorization.guard(request, () -> handleLatest(request, context));
    }

    private HttpResponseMessage handleLatest(HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        Optional<String> stored = app.get().store().latestReport();
        if (stored.isEmpty()) {
            return HttpJson.problem(request, HttpStatus.NOT_FOUND, "NoReportYet",
                    "no verification has run yet; POST /api/verify to run one");
        }
        try {
            return render(request, HttpJson.JSON.readValue(stored.get(), DriftReport.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reading the stored drift report", e);
        }
    }

    /** Runs a verification unless one is running; empty when it was skipped for that reason. */
    Optional<DriftReport> verify(Logger log) {
        FunctionsApp functions = app.get();
        String holder = UUID.randomUUID().toString();
        if (!functions.store().lock(LOCK, holder, Instant.now().plus(LOCK_FOR), other -> true).equals(holder)) {
            log.info("Skipped verification: another one is running");
            return Optional.empty();
        }
        try {
            DriftReport report = functions.engine().workflow().verify(functions.spec(), StepEvents.NONE);
            functions.store().saveReport(HttpJson.JSON.writeValueAsString(report), report.generatedAt());
            List<CheckResult> problems = report.problems();
            Level level = problems.isEmpty() ? Level.INFO : Level.WARNING;
            log.log(level, VerifyEvent.line(report));
            log.log(level, "Verified: " + ReportFormat.summary(report.checks())
                    + (problems.isEmpty() ? "" : "; drift: " + problems.stream()
                            .map(check -> check.id() + "/" + check.target() + " " + check.status()).toList()));
            return Optional.of(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("storing the drift report", e);
        } finally {
            functions.store().unlock(LOCK, holder);
        }
    }

    private static HttpResponseMessage render(HttpRequestMessage<Optional<String>> request, DriftReport report) {
        if ("markdown".equals(request.getQueryParameters().get("format"))) {
            return request.createResponseBuilder(HttpStatus.OK).header("Content-Type", "text/markdown; charset=utf-8")
                    .body(ReportFormat.markdown(report.checks())).build();
        }
        return HttpJson.json(request, HttpStatus.OK, report);
    }
}
