package dev.breakglass.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The app's own check on top of App Service Authentication: when {@code BREAKGLASS_REQUIRED_APP_ROLE}
 * is set, the caller's token must carry that app role. The role is read from the
 * {@code x-ms-client-principal} header the platform adds
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities), and that
 * header is trusted only when platform authentication is on ({@code WEBSITE_AUTH_ENABLED}): with it
 * off, anyone could send the header, so every request is refused instead (TESTS.md F4).
 *
 * @param requiredRole             the app role callers need, or null for none (function keys only)
 * @param platformAuthenticationOn whether App Service Authentication validated the caller's token
 */
record CallerAuthorization(String requiredRole, boolean platformAuthenticationOn) {

    static final String REQUIRED_APP_ROLE = "BREAKGLASS_REQUIRED_APP_ROLE";
    private static final String PRINCIPAL_HEADER = "x-ms-client-principal";
    private static final String PRINCIPAL_ID_HEADER = "x-ms-client-principal-id";
    private static final Set<String> ROLE_CLAIMS = Set.of("roles",
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/role");

    static final CallerAuthorization FUNCTION_KEYS_ONLY = new CallerAuthorization(null, false);

    static CallerAuthorization fromSettings(Map<String, String> settings) {
        String role = settings.get(REQUIRED_APP_ROLE);
        return new CallerAuthorization(role == null || role.isBlank() ? null : role.trim(),
                "true".equalsIgnoreCase(settings.get("WEBSITE_AUTH_ENABLED")));
    }

    static CallerAuthorization fromEnvironment() {
        return fromSettings(System.getenv());
    }

    /**
     * Who is calling, for per-caller limits (TESTS.md A10): the authenticated principal when platform
     * authentication vouches for it, else the client address, else one shared anonymous key. The
     * principal's object id is in {@code x-ms-client-principal-id}
     * (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities#access-user-claims-in-app-code).
     * For the address the last {@code x-forwarded-for} entry is used, the one the platform's front end
     * appended; earlier entries are whatever the client sent. Its port is dropped, since each connection has
     * its own. (Plausible, not recorded: the exact form App Service gives, {@code ip:port}, comes from
     * observed traffic, not from a contract.)
     */
    String callerKey(HttpRequestMessage<?> request) {
        if (platformAuthenticationOn) {
            String principalId = ProvisionFunction.header(request, PRINCIPAL_ID_HEADER);
            if (principalId != null && !principalId.isBlank()) {
                return "principal:" + principalId.trim();
            }
        }
        String forwardedFor = ProvisionFunction.header(request, "x-forwarded-for");
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            String[] hops = forwardedFor.split(",");
            return "address:" + withoutPort(hops[hops.length - 1].trim());
        }
        return "anonymous";
    }

    private static String withoutPort(String address) {
        if (address.startsWith("[") && address.contains("]")) {
            return address.substring(1, address.indexOf(']'));
        }
        int colon = address.indexOf(':');
        return colon > 0 && colon == address.lastIndexOf(':') ? address.substring(0, colon) : address;
    }

    /** {@code handler}'s response when the caller may proceed, otherwise the refusal. */
    HttpResponseMessage guard(HttpRequestMessage<?> request, Supplier<HttpResponseMessage> handler) {
        return refuse(request).orElseGet(handler);
    }

    private Optional<HttpResponseMessage> refuse(HttpRequestMessage<?> request) {
        if (requiredRole == null) {
            return Optional.empty();
        }
        if (!platformAuthenticationOn) {
            return Optional.of(HttpJson.problem(request, HttpStatus.INTERNAL_SERVER_ERROR, "PlatformAuthenticationOff",
                    REQUIRED_APP_ROLE + " is set but App Service Authentication is off, so the caller's identity "
                            + "cannot be trusted; turn authentication on"));
        }
        String principal = ProvisionFunction.header(request, PRINCIPAL_HEADER);
        if (principal == null) {
            return Optional.of(HttpJson.problem(request, HttpStatus.UNAUTHORIZED, "Unauthenticated",
                    "sign in with an Entra token of an allowed application"));
        }
        if (!hasRole(principal)) {
            return Optional.of(HttpJson.problem(request, HttpStatus.FORBIDDEN, "MissingAppRole",
                    "the caller's token lacks the app role " + requiredRole));
        }
        return Optional.empty();
    }

    /**
     * The authenticated caller's object id ({@code x-ms-client-principal-id}, as {@link #callerKey} reads it), only when
     * App Service Authentication vouches for it (otherwise anyone could name any principal); empty for an anonymous or
     * function-key caller.
     */
    Optional<String> callerId(HttpRequestMessage<?> request) {
        String principalId = ProvisionFunction.header(request, PRINCIPAL_ID_HEADER);
        return platformAuthenticationOn && principalId != null && !principalId.isBlank()
                ? Optional.of(principalId.trim()) : Optional.empty();
    }

    private boolean hasRole(String encodedPrincipal) {
        try {
            JsonNode principal = HttpJson.JSON.readTree(new String(Base64.getDecoder().decode(encodedPrincipal),
                    StandardCharsets.UTF_8));
            for (JsonNode claim : principal.path("claims")) {
                if (ROLE_CLAIMS.contains(claim.path("typ").asText()) && requiredRole.equals(claim.path("val").asText())) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException | IllegalArgumentException malformed) {
            return false;
        }
    }
}
