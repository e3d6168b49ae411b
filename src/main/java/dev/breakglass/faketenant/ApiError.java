package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * An error answer. Each {@link Service} renders it in its own envelope (Graph's
 * {@code error.innerError/details}, Key Vault's {@code error.innererror}, ARM's {@code error} or, for action
 * groups, a flat object), so handlers only say what went wrong.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final ArrayNode details;
    final String innerCode;
    /** ARM: the action-group provider answers a bare {@code {code, message}} instead of ARM's {@code {error: …}}. */
    final boolean flat;

    private ApiError(int status, String code, String message, ArrayNode details, String innerCode, boolean flat) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
        this.innerCode = innerCode;
        this.flat = flat;
    }

    static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, null, null, false);
    }

    /** An action-group provider error: {@code {"code":…,"message":…}} without the {@code error} wrapper (recorded). */
    static ApiError flat(int status, String code, String message) {
        return new ApiError(status, code, message, null, null, true);
    }

    /** A Graph error carrying {@code details[{target, code}]}, e.g. ObjectConflict on userPrincipalName. */
    static ApiError withDetail(int status, String code, String message, String target, String detailCode) {
        ArrayNode details = Json.array();
        details.addObject().put("target", target).put("code", detailCode);
        return new ApiError(status, code, message, details, null, false);
    }

    /** A Key Vault error carrying {@code innererror.code}, e.g. ObjectIsDeletedButRecoverable. */
    static ApiError withInner(int status, String code, String message, String innerCode) {
        return new ApiError(status, code, message, null, innerCode, false);
    }

    /** Graph: "Resource '{x}' does not exist or one of its queried reference-property objects are not present." */
    static ApiError resourceNotFound(String key) {
        return of(404, "Request_ResourceNotFound",
                "Resource '" + key + "' does not exist or one of its queried reference-property objects are not present.");
    }

    static ApiError badRequest(String message) {
        return of(400, "Request_BadRequest", message);
    }

    String message() {
        return getMessage();
    }
}
