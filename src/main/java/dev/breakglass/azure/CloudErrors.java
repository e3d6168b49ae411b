package dev.breakglass.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.microsoft.graph.models.odataerrors.ErrorDetails;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import dev.breakglass.reconcile.CloudException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns what the SDKs throw into a classified {@link CloudException}: throttling, server errors
 * and broken connections are transient; everything else is terminal unless a step recognises its
 * code. Only the service's error code and message are kept: never a response body, header or token.
 */
final class CloudErrors {

    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    private CloudErrors() {
    }

    /**
     * @param doing what was being done, as a lower-case verb phrase naming the object
     *              ({@code "creating emergency user bg01@contoso.onmicrosoft.com"})
     */
    static CloudException translate(String doing, RuntimeException failure) {
        if (failure instanceof CloudException known) {
            return known;
        }
        if (failure instanceof ODataError graph) {
            return fromGraph(doing, graph);
        }
        if (failure instanceof ApiException api) {
            return classify(doing, api.getResponseStatusCode(), "HttpError" + api.getResponseStatusCode(),
                    "the service answered " + api.getResponseStatusCode(), retryAfter(api));
        }
        if (failure instanceof ClientAuthenticationException auth && auth.getResponse() == null) {
            // The credential could not get a token (a managed identity endpoint failing or hanging, past the SDK's own
            // retries): no service refused anything, so try again later (TESTS.md C8). A service's own 401 carries
            // its response and stays terminal. Only the exception's type is kept: its text may name the endpoint.
            return new CloudException(CloudException.Kind.TRANSIENT, 0, "TokenUnavailable",
                    doing + ": no access token could be obtained (" + failure.getClass().getSimpleName() + ")", null);
        }
        if (failure instanceof HttpResponseException http) {
            return fromAzureCore(doing, http);
        }
        if (causedByIo(failure)) {
            return new CloudException(CloudException.Kind.TRANSIENT, 0, "ConnectionFailed",
                    doing + ": the connection failed (" + failure.getClass().getSimpleName() + ")", null);
        }
        throw failure;
    }

    /**
     * Reads an ARM resource: empty when ARM answers 404 about the resource itself. A 404 about its resource group
     * or subscription is an error to report, not a resource to create.
     */
    static <T> Optional<T> readResource(String doing, Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (ManagementException e) {
            if (isMissingResource(e)) {
                return Optional.empty();
            }
            throw translate(doing, e);
        } catch (RuntimeException e) {
            throw translate(doing, e);
        }
    }

    private static boolean isMissingResource(ManagementException e) {
        if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
            return false;
        }
        String code = e.getValue() == null ? null : e.getValue().getCode();
        return !"ResourceGroupNotFound".equals(code) && !"SubscriptionNotFound".equals(code);
    }

    private static CloudException fromGraph(String doing, ODataError graph) {
        String code = "HttpError" + graph.getResponseStatusCode();
        String message = "the service answered " + graph.getResponseStatusCode();
        if (graph.getError() != null) {
            code = firstNonBlank(mostSpecificCode(graph.getError().getDetails()), graph.getError().getCode(), code);
            message = firstNonBlank(graph.getError().getMessage(), message, message);
        }
        return classify(doing, graph.getResponseStatusCode(), code, message, retryAfter(graph));
    }

    /** Graph puts the precise reason in {@code details[].code} (e.g. ObjectConflict under Request_BadRequest). */
    private static String mostSpecificCode(List<ErrorDetails> details) {
        if (details == null) {
            return null;
        }
        return details.stream().map(ErrorDetails::getCode).filter(c -> c != null && !c.isBlank()).findFirst()
                .orElse(null);
    }

    private static CloudException fromAzureCore(String doing, HttpResponseException http) {
        int status = http.getResponse() == null ? 0 : http.getResponse().getStatusCode();
        String code = "HttpError" + status;
        String message = "the service answered " + status;
        Object value = http.getValue();
        if (value instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error) {
            code = firstNonBlank(innerCode(error), asString(error.get("code")), code);
            message = firstNonBlank(asString(error.get("message")), message, message);
        } else if (value instanceof ManagementError error) {
            code = firstNonBlank(error.getCode(), code, code);
            message = firstNonBlank(error.getMessage(), message, message);
        } else if (value != null && value.getClass().getSimpleName().equals("KeyVaultErrorException")) {
            message = http.getMessage();
        } else if (http.getMessage() != null && status != 0) {
            code = codeFromMessage(http.getMessage(), code);
            message = firstLine(http.getMessage());
        }
        Duration retryAfter = http.getResponse() == null ? null
                : RetryAfter.parse(http.getResponse().getHeaderValue("Retry-After"), Clock.systemUTC()).orElse(null);
        return classify(doing, status, code, message, retryAfter);
    }

    /** Key Vault's precise reason (e.g. ObjectIsDeletedButRecoverable) sits in innererror.code. */
    private static String innerCode(Map<?, ?> error) {
        return error.get("innererror") instanceof Map<?, ?> inner ? asString(inner.get("code")) : null;
    }

    private static String codeFromMessage(String message, String fallback) {
        for (String known : List.of("ObjectIsDeletedButRecoverable", "SecretNotFound", "SecretDisabled", "Forbidden")) {
            if (message.contains(known)) {
                return known;
            }
        }
        return fallback;
    }

    private static CloudException classify(String doing, int status, String code, String message, Duration retryAfter) {
        CloudException.Kind kind = TRANSIENT_STATUSES.contains(status)
                ? CloudException.Kind.TRANSIENT : CloudException.Kind.TERMINAL;
        return new CloudException(kind, status, code, doing + ": " + message + " (" + status + " " + code + ")",
                retryAfter);
    }

    private static Duration retryAfter(ApiException api) {
        if (api.getResponseHeaders() == null) {
            return null;
        }
        Set<String> values = api.getResponseHeaders().get("Retry-After");
        if (values == null || values.isEmpty()) {
            values = api.getResponseHeaders().get("retry-after");
        }
        return values == null || values.isEmpty() ? null
                : RetryAfter.parse(values.iterator().next(), Clock.systemUTC()).orElse(null);
    }

    private static boolean causedByIo(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    private static String asString(Object value) {
        return value == null ? null : value.toString();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String firstNonBlank(String first, String second, String fallback) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : fallback;
    }
}
