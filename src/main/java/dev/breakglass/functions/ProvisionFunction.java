package dev.breakglass.functions;

import com.azure.core.exception.AzureException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.breakglass.runs.Run;
import dev.breakglass.runs.RunStore;
import dev.breakglass.spec.Setting;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * {@code POST /api/provision}: starts a provisioning run and answers 202 with an absolute
 * {@code Location} and {@code Retry-After}, the asynchronous pattern Logic Apps follows
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-create-api-app#async-pattern). Logic Apps
 * retries the POST on 408, 429 and 5xx, so the same {@code Idempotency-Key} and body return the same
 * run, and while a run is active every POST returns that run.
 */
public final class ProvisionFunction {

    private static final int MAX_IDEMPOTENCY_KEY = 128;

    private final Supplier<FunctionsApp> app;
    private final CallerAuthorization authorization;

    public ProvisionFunction() {
        this(FunctionsApp::get, CallerAuthorization.fromEnvironment());
    }

    ProvisionFunction(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        this.app = app;
        this.authorization = authorization;
    }

    @FunctionName("provision")
    public HttpResponseMessage provision(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "provision") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return authorization.guard(request, () -> handleProvision(request, context));
    }

    private HttpResponseMessage handleProvision(HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        String body = request.getBody().orElse("");
        if (!body.isBlank() && !isJson(header(request, "content-type"))) {
            return HttpJson.problem(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType",
                    "send the body as application/json");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > ProvisionRequest.MAX_BODY_BYTES) {
            return HttpJson.problem(request, HttpStatus.valueOf(413), "PayloadTooLarge",
                    "the body must be at most " + ProvisionRequest.MAX_BODY_BYTES + " bytes");
        }
        ProvisionRequest parsed;
        try {
            parsed = ProvisionRequest.parse(body);
        } catch (ProvisionRequest.InvalidRequest e) {
            return HttpJson.problem(request, HttpStatus.BAD_REQUEST, "InvalidRequest", e.getMessage());
        }
        String idempotencyKey = header(request, "idempotency-key");
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
            return HttpJson.problem(request, HttpStatus.BAD_REQUEST, "InvalidIdempotencyKey",
                    "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " visible ASCII characters");
        }
        try {
            return start(request, parsed, idempotencyKey);
        } catch (AzureException | UncheckedIOException e) {
            LogRedaction.logger(context).log(Level.WARNING, "Storage or Key Vault (the signing key) unavailable while "
                    + "starting a run: " + e.getClass().getSimpleName());
            return HttpJson.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "StorageUnavailable",
                    "the run could not be recorded; retry with the same Idempotency-Key");
        }
    }

    private HttpResponseMessage start(HttpRequestMessage<Optional<String>> request, ProvisionRequest parsed,
            String idempotencyKey) {
        FunctionsApp functions = app.get();
        RunStore store = functions.store();
        String keyHash = idempotencyKey == null ? null : sha256(idempotencyKey);
        if (keyHash != null) {
            Optional<RunStore.IdempotencyRecord> earlier = store.findIdempotency(keyHash);
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash().equals(parsed.fingerprint())) {
                    return HttpJson.problem(request, HttpStatus.valueOf(422), "IdempotencyKeyReused",
                            "this Idempotency-Key was used with a different body");
                }
                Optional<Run> run = functions.runs().find(earlier.get().runId());
                if (run.isPresent()) {
                    return handedOut(request, store, run.get());
                }
            }
        }
        // Charged only when a run really starts: the run in flight answers for free (A8), concurrent posts included.
        LocalDate today = LocalDate.ofInstant(functions.clock().instant(), ZoneOffset.UTC);
        Optional<Run> started = functions.runs().start(parsed.reason(), parsed.dryRun(),
                () -> store.countRun(today, functions.spec().maxRunsPerDay()));
        if (started.isEmpty()) {
            return dailyLimitReached(request, functions, today);
        }
        Run run = started.get();
        if (keyHash != null) {
            RunStore.IdempotencyRecord winner = store.claimIdempotency(keyHash,
                    new RunStore.IdempotencyRecord(run.id(), parsed.fingerprint()));
            if (!winner.requestHash().equals(parsed.fingerprint())) {
                return HttpJson.problem(request, HttpStatus.valueOf(422), "IdempotencyKeyReused",
                        "this Idempotency-Key was used with a different body");
            }
        }
        return handedOut(request, store, run);
    }

    /** The 202 for {@code run}, after recording that this caller may read it (A9: any other caller gets 404). */
    private HttpResponseMessage handedOut(HttpRequestMessage<?> request, RunStore store, Run run) {
        authorization.callerId(request).ifPresent(caller -> store.addReader(run.id(), caller));
        return accepted(request, run);
    }

    /**
     * 429 until the next UTC day, and a security event: a caller that keeps starting runs is either broken or
     * hostile, and an operator should know either way (TESTS.md F10).
     */
    private HttpResponseMessage dailyLimitReached(HttpRequestMessage<Optional<String>> request, FunctionsApp functions,
            LocalDate today) {
        Instant now = functions.clock().instant();
        long untilTomorrow = Duration.between(now, today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                .toSeconds() + 1;
        functions.securityEvent("refused to start a provisioning run: " + functions.spec().maxRunsPerDay()
                + " runs were started on " + today + " (" + Setting.MAX_RUNS_PER_DAY.key() + "); caller "
                + authorization.callerKey(request));
        return HttpJson.tooManyRequests(request, "DailyRunLimitReached", functions.spec().maxRunsPerDay()
                + " provisioning runs were started today (UTC), the configured daily limit; retry after midnight UTC",
                untilTomorrow);
    }

    static HttpResponseMessage accepted(HttpRequestMessage<?> request, Run run) {
        String location = HttpJson.runUrl(request, run.id());
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("id", run.id());
        body.put("status", run.status().name());
        body.put("dryRun", run.dryRun());
        body.put("statusUrl", location);
        return request.createResponseBuilder(HttpStatus.ACCEPTED)
                .header("Content-Type", "application/json")
                .header("Location", location)
                .header("Retry-After", String.valueOf(HttpJson.RETRY_AFTER_SECONDS))
                .body(body.toString()).build();
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).split(";")[0].trim()
                .equals("application/json");
    }

    /** The Functions worker hands headers over with their names as sent; HTTP names are case-insensitive. */
    static String header(HttpRequestMessage<?> request, String name) {
        return request.getHeaders().entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isRunId(String id) {
        try {
            return id != null && id.length() == 36 && UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
