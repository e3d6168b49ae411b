package dev.breakglass.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import dev.breakglass.reconcile.CloudException;
import java.util.Set;

/**
 * A failed synchronous operation (rotation, export) as a problem: 409 when the tenant is not in a state
 * that allows it, 502 when Graph or Key Vault refused (a permission or policy the operator must fix), 503
 * with {@code Retry-After} when they stayed unavailable. The message is ours (what was being done and the
 * service's error code), never a response body.
 */
final class CloudProblems {

    /** Terminal codes that describe the tenant, not a refusal by the service. */
    private static final Set<String> CONFLICTS = Set.of("AccountNotProvisioned", "NotProvisioned",
            "ForeignObjectExists", "SecretMissing", "DuplicateExclusionGroup", "InitialDomainNotFound");

    private CloudProblems() {
    }

    static HttpResponseMessage of(HttpRequestMessage<?> request, CloudException failure) {
        if (failure.kind() == CloudException.Kind.TRANSIENT) {
            return HttpJson.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable",
                    failure.getMessage() + "; retry");
        }
        HttpStatus status = CONFLICTS.contains(failure.code()) ? HttpStatus.CONFLICT : HttpStatus.BAD_GATEWAY;
        return HttpJson.problem(request, status, failure.code() == null ? "Refused" : failure.code(), failure.getMessage());
    }
}
