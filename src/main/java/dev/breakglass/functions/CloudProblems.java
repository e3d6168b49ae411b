package dev.breakglass.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import dev.breakglass.reconcile.CloudException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A failed synchronous operation (rotation, export) as a problem: 409 when the tenant is not in a state
 * that allows it, 502 when Graph or Key Vault refused (a permission or policy the operator must fix), 503
 * with {@code Retry-After} when they stayed unavailable.
 *
 * <p>The response names only the service's status and error code (TESTS.md F11). The exception's message
 * quotes the service's own error message, which can echo what was sent (a UPN, a policy's contents), so it
 * goes to the log, under the same {@code correlationId} the caller receives, and never into the response.
 */
final class CloudProblems {

    /** Terminal codes that describe the tenant, not a refusal by the service. */
    private static final Set<String> CONFLICTS = Set.of("AccountNotProvisioned", "AccountDisabled", "NotProvisioned",
            "ForeignObjectExists", "SecretMissing", "DuplicateExclusionGroup", "InitialDomainNotFound");

    private CloudProblems() {
    }

    /** @param doing what was being done, for the log line, e.g. {@code "Rotation of bg01"} */
    static HttpResponseMessage of(HttpRequestMessage<?> request, CloudException failure, Logger log, String doing) {
        ObjectNode problem = body(failure);
        log.log(Level.WARNING, doing + " stopped, correlationId=" + HttpJson.correlationId(problem) + ": "
                + failure.getMessage());
        return HttpJson.problem(request, HttpStatus.valueOf(problem.path("status").asInt()), problem);
    }

    private static ObjectNode body(CloudException failure) {
        if (failure.kind() == CloudException.Kind.TRANSIENT) {
            return HttpJson.problemBody(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable",
                    "Microsoft Graph or Key Vault stayed unavailable" + answered(failure) + "; retry");
        }
        String code = failure.code() == null ? "Refused" : failure.code();
        HttpStatus status = CONFLICTS.contains(failure.code()) ? HttpStatus.CONFLICT : HttpStatus.BAD_GATEWAY;
        if (failure.status() == 0) {
            // Our own terminal verdict about the tenant (CloudException.terminal): the message is ours.
            return HttpJson.problemBody(status, code, failure.getMessage());
        }
        return HttpJson.problemBody(status, code, "Microsoft Graph or Key Vault refused the request" + answered(failure)
                + "; the log entry with this correlationId has the service's message");
    }

    private static String answered(CloudException failure) {
        return failure.status() == 0 ? "" : " (HTTP " + failure.status() + (failure.code() == null ? "" : " "
                + failure.code()) + ")";
    }
}
