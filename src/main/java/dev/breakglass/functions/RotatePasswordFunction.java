package dev.breakglass.functions;

import com.azure.core.exception.AzureException;
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
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.runs.Run;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.PasswordRotation;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * {@code POST /api/accounts/{key}/rotate}: rotates one emergency account's password and answers 200 with
 * what changed (never the password, which only Key Vault holds).
 *
 * <p>Synchronous, unlike provisioning: a rotation is about six calls (list the versions, write one, reset
 * the user's password, update two versions) and ends in seconds, far below the 230 s HTTP limit, and it
 * is safe to repeat at any point ({@link PasswordRotation}), so a client that loses the answer simply
 * posts again. A queued run would add a table record and a status endpoint for no gain in safety. When
 * Graph or Key Vault keep throttling beyond what one invocation waits for, the answer is 503 with
 * {@code Retry-After}; the retry finishes the rotation that was started.
 *
 * <p>While a provisioning run is active the answer is 409 with that run's {@code Location}: both write the
 * same secret and user. A second rotation of the same account while one is running is 409 too.
 */
public final class RotatePasswordFunction {

    /**
     * One rotation per account at a time: two at once would each write a version, reset the password and
     * mark their own version active, leaving two enabled versions of which only one is the password.
     */
    static final String LOCK_PREFIX = "rotation-";
    /** Longer than a rotation can take in one invocation (five attempts, waits of at most 30 s). */
    private static final Duration LOCK_FOR = Duration.ofMinutes(5);

    private final Supplier<FunctionsApp> app;
    private final CallerAuthorization authorization;

    public RotatePasswordFunction() {
        this(FunctionsApp::get, CallerAuthorization.fromEnvironment());
    }

    RotatePasswordFunction(Supplier<FunctionsApp> app, CallerAuthorization authorization) {
        this.app = app;
        this.authorization = authorization;
    }

    @FunctionName("rotatePassword")
    public HttpResponseMessage rotate(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "accounts/{key}/rotate") HttpRequestMessage<Optional<String>> request,
            @BindingName("key") String key,
            ExecutionContext context) {
        return authorization.guard(request, () -> handleRotate(request, key, context));
    }

    private HttpResponseMessage handleRotate(HttpRequestMessage<Optional<String>> request, String key,
            ExecutionContext context) {
        if (!request.getBody().orElse("").isBlank()) {
            return HttpJson.problem(request, HttpStatus.BAD_REQUEST, "InvalidRequest", "a rotation takes no body");
        }
        FunctionsApp functions = app.get();
        Optional<Account> account = functions.spec().accounts().stream().filter(a -> a.key().equals(key)).findFirst();
        if (account.isEmpty()) {
            return HttpJson.problem(request, HttpStatus.NOT_FOUND, "AccountNotFound",
                    "no emergency account with this key; keys are " + functions.spec().accounts().stream()
                            .map(Account::key).toList());
        }
        String lock = LOCK_PREFIX + key;
        String holder = UUID.randomUUID().toString();
        Optional<Run> active;
        boolean locked;
        try {
            active = functions.runs().active();
            locked = active.isEmpty() && functions.store().lock(lock, holder, Instant.now().plus(LOCK_FOR), other -> true)
                    .equals(holder);
        } catch (AzureException | UncheckedIOException e) {
            LogRedaction.logger(context).log(Level.WARNING, "Storage unavailable before a rotation: "
                    + e.getClass().getSimpleName());
            return HttpJson.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "StorageUnavailable",
                    "could not check for a provisioning run or claim the rotation; retry");
        }
        if (active.isPresent()) {
            return HttpJson.problemAt(request, HttpStatus.CONFLICT, "ProvisioningRunActive",
                    "a provisioning run is active; rotate after it ends", HttpJson.runUrl(request, active.get().id()));
        }
        if (!locked) {
            return HttpJson.problem(request, HttpStatus.CONFLICT, "RotationInProgress",
                    "this account's password is being rotated; retry in a few seconds");
        }
        try {
            PasswordRotation.Rotated rotated = functions.engine().passwordRotation()
                    .rotate(new StepContext(functions.spec(), account.get(), new RunReads()));
            LogRedaction.logger(context).info("Rotated the password of emergency account " + rotated.account() + " (version "
                    + rotated.version() + ", " + rotated.disabled().size() + " older version(s) disabled)");
            return HttpJson.json(request, HttpStatus.OK, body(rotated));
        } catch (CloudException e) {
            return CloudProblems.of(request, e, LogRedaction.logger(context), "Rotation of " + key);
        } finally {
            release(functions, lock, holder, context);
        }
    }

    /** A lock that cannot be released expires after {@link #LOCK_FOR}; the rotation's answer stands. */
    private static void release(FunctionsApp functions, String lock, String holder, ExecutionContext context) {
        try {
            functions.store().unlock(lock, holder);
        } catch (AzureException | UncheckedIOException e) {
            LogRedaction.logger(context).log(Level.WARNING, "Could not release " + lock + " (it expires by itself): "
                    + e.getClass().getSimpleName());
        }
    }

    private static ObjectNode body(PasswordRotation.Rotated rotated) {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("account", rotated.account());
        body.put("userPrincipalName", rotated.userPrincipalName());
        body.put("userId", rotated.userId());
        body.put("secretVersion", rotated.version());
        body.put("generation", rotated.generation());
        rotated.disabled().forEach(body.putArray("disabledVersions")::add);
        body.put("resumed", rotated.resumed());
        return body;
    }
}
