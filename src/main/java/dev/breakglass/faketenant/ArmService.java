package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Azure Resource Manager as breakglass calls it: action groups and scheduled query rules in a resource
 * group, and the tenant-level {@code microsoft.aadiam} diagnostic settings. Shapes follow
 * {@code api-contracts/arm/} and the recorded azure-cli traffic; ARM's own checks (api-version,
 * subscription, resource group, authentication, throttling) answer in ARM's {@code {"error": {…}}}
 * envelope, while the action-group provider's own errors are flat ({@link ApiError#flat}).
 */
final class ArmService implements Service {

    private final TenantState state;
    private final ActionGroupsApi actionGroups;
    private final ScheduledQueryRulesApi alertRules;
    private final AadDiagnosticSettingsApi diagnosticSettings;

    ArmService(TenantState state) {
        this.state = state;
        this.actionGroups = new ActionGroupsApi(state.arm);
        this.alertRules = new ScheduledQueryRulesApi(state.arm);
        this.diagnosticSettings = new AadDiagnosticSettingsApi(state.arm);
    }

    @Override
    public boolean owns(Call call) {
        String first = call.segment(0);
        return "subscriptions".equalsIgnoreCase(first) || "providers".equalsIgnoreCase(first);
    }

    @Override
    public Reply handle(Call call) {
        Reply reply = route(call);
        String quota = call.isWrite() ? "x-ms-ratelimit-remaining-subscription-writes" : "x-ms-ratelimit-remaining-subscription-reads";
        return reply.header(quota, call.isWrite() ? "1199" : "11999");
    }

    private Reply route(Call call) {
        List<String> path = call.segments;
        if (path.get(0).equalsIgnoreCase("providers")) {
            if (path.size() >= 3 && path.get(1).equalsIgnoreCase("microsoft.aadiam")) {
                requireApiVersion(call, path.get(2), AadDiagnosticSettingsApi.API_VERSIONS);
                return diagnosticSettings.handle(call, path.subList(2, path.size()));
            }
            throw unknownType(path.size() > 1 ? path.get(1) : "", path.size() > 2 ? path.get(2) : "");
        }
        if (path.size() < 8 || !path.get(2).equalsIgnoreCase("resourceGroups") || !path.get(4).equalsIgnoreCase("providers")) {
            throw ApiError.of(404, "NotFound", "The requested resource was not found.");
        }
        if (!path.get(5).equalsIgnoreCase("Microsoft.Insights") || path.size() > 8) {
            throw unknownType(path.get(5), path.get(6));
        }
        String type = path.get(6).toLowerCase(Locale.ROOT);
        String resourceGroup = path.get(3);
        String name = path.get(7);
        switch (type) {
            case "actiongroups":
                requireApiVersion(call, "actionGroups", ActionGroupsApi.API_VERSIONS);
                requireResourceGroup(path.get(1), resourceGroup);
                return actionGroups.handle(call, resourceGroup, name);
            case "scheduledqueryrules":
                requireApiVersion(call, "scheduledQueryRules", ScheduledQueryRulesApi.API_VERSIONS);
                requireResourceGroup(path.get(1), resourceGroup);
                return alertRules.handle(call, resourceGroup, name);
            default:
                throw unknownType(path.get(5), path.get(6));
        }
    }

    private static void requireApiVersion(Call call, String type, List<String> supported) {
        String version = call.query.get("api-version");
        if (version == null || version.isEmpty()) {
            throw ApiError.of(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (!supported.contains(version)) {
            throw ApiError.of(400, "NoRegisteredProviderFound", "No registered resource provider found for location "
                    + "'global' and API version '" + version + "' for type '" + type + "'. The supported api-versions are '"
                    + String.join(", ", supported) + "'.");
        }
    }

    private void requireResourceGroup(String subscriptionId, String resourceGroup) {
        if (!subscriptionId.equalsIgnoreCase(state.arm.subscriptionId)) {
            throw ApiError.of(404, "SubscriptionNotFound", "The subscription '" + subscriptionId + "' could not be found.");
        }
        if (!state.arm.resourceGroups.containsKey(resourceGroup.toLowerCase(Locale.ROOT))) {
            throw ApiError.of(404, "ResourceGroupNotFound", "Resource group '" + resourceGroup + "' could not be found.");
        }
    }

    private static ApiError unknownType(String namespace, String type) {
        return ApiError.of(404, "InvalidResourceType", "The resource type '" + type
                + "' could not be found in the namespace '" + namespace + "'.");
    }

    /** ARM's "not found" for a resource in a resource group. */
    static String resourceNotFound(String type, String resourceGroup, String name) {
        return "The Resource '" + type + "/" + name + "' under resource group '" + resourceGroup
                + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix";
    }

    @Override
    public Reply error(ApiError error) {
        ObjectNode body = Json.object();
        ObjectNode target = error.flat ? body : body.putObject("error");
        target.put("code", error.code).put("message", error.message());
        if (error.details != null) {
            target.set("details", error.details);
        }
        return Reply.json(error.status, body);
    }

    /** What ARM answers a request without a valid bearer token. */
    @Override
    public Reply unauthorized(Call call) {
        String message = call.authorization == null ? "Authentication failed. The 'Authorization' header is missing."
                : "Authentication failed. The access token is invalid.";
        String code = call.authorization == null ? "AuthenticationFailed" : "InvalidAuthenticationToken";
        return error(ApiError.of(401, code, message)).header("WWW-Authenticate",
                "Bearer authorization_uri=\"https://login.microsoftonline.com/" + state.tenantId
                        + "\", error=\"invalid_token\", error_description=\"" + message + "\"");
    }

    @Override
    public void decorate(Reply reply) {
        String requestId = reply.headers.computeIfAbsent("x-ms-request-id", k -> UUID.randomUUID().toString());
        reply.headers.putIfAbsent("x-ms-correlation-request-id", requestId);
        reply.headers.putIfAbsent("Cache-Control", "no-cache");
        if (reply.body.length > 0) {
            reply.headers.putIfAbsent("Content-Type", "application/json; charset=utf-8");
        }
    }

    /** ARM's subscription-level throttling answer (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). */
    @Override
    public ApiError throttled() {
        return ApiError.of(429, "SubscriptionRequestsThrottled",
                "Number of requests for subscription exceeded the limit. Please try again later.");
    }

    @Override
    public ApiError serverError(int status) {
        switch (status) {
            case 502:
                return ApiError.of(502, "BadGateway", "The gateway did not receive a response in time.");
            case 503:
                return ApiError.of(503, "ServiceUnavailable", "The service is temporarily unavailable. Please try again later.");
            case 504:
                return ApiError.of(504, "GatewayTimeout", "The gateway did not receive a response within the specified time period.");
            default:
                return ApiError.of(status, "InternalServerError", "Encountered internal server error.");
        }
    }
}
