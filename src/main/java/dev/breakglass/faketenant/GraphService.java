package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph v1.0 as the product calls it. Owns every path that no other service claims, so unknown
 * paths get Graph's own answers. Response headers and the error envelope follow the recorded traffic in
 * {@code api-contracts/recordings} and https://learn.microsoft.com/graph/errors.
 */
final class GraphService implements Service {
    static final String CONTENT_TYPE =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    private static final Pattern KEY_SEGMENT = Pattern.compile("([A-Za-z]+)\\('(.*)'\\)");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TICKS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String origin;
    private final Settings settings;
    private final OrganizationApi organization;
    private final UsersApi users;
    private final GroupsApi groups;
    private final RoleManagementApi roles;
    private final ConditionalAccessApi conditionalAccess;
    private Instant lastConditionalAccessCall = Instant.EPOCH;

    GraphService(String origin, TenantState state, Settings settings) {
        this.origin = origin;
        this.settings = settings;
        this.organization = new OrganizationApi(this, state, settings);
        this.users = new UsersApi(this, state, settings);
        this.groups = new GroupsApi(this, state, settings);
        this.roles = new RoleManagementApi(this, state, settings);
        this.conditionalAccess = new ConditionalAccessApi(this, state, settings);
    }

    String baseUrl() {
        return origin + "/v1.0";
    }

    String origin() {
        return origin;
    }

    String context(String fragment) {
        return baseUrl() + "/$metadata#" + fragment;
    }

    @Override
    public boolean owns(Call call) {
        return true;
    }

    @Override
    public Reply handle(Call call) {
        if (!"v1.0".equals(call.segment(0))) {
            throw ApiError.of(400, "BadRequest", "Invalid version: " + (call.segment(0) == null ? "" : call.segment(0)));
        }
        List<String> path = resourcePath(call.segments.subList(1, call.segments.size()));
        if (path.isEmpty()) {
            throw unknownSegment("");
        }
        switch (path.get(0)) {
            case "domains":
            case "subscribedSkus":
                return organization.handle(call, path);
            case "users":
                return users.handle(call, path);
            case "groups":
                return groups.handle(call, path);
            case "roleManagement":
                return roles.handle(call, path);
            case "identity":
                throttleConditionalAccess(path);
                return conditionalAccess.handle(call, path);
            default:
                throw unknownSegment(path.get(0));
        }
    }

    /**
     * The Conditional Access service allows 1 request per second per tenant across all apps, and its 429s
     * carry no Retry-After header (https://learn.microsoft.com/graph/throttling-limits#identity-protection-and-conditional-access-service-limits).
     */
    private void throttleConditionalAccess(List<String> path) {
        if (!settings.caRateLimit || path.size() < 2 || !path.get(1).equals("conditionalAccess")) {
            return;
        }
        Instant now = Instant.now();
        if (now.isBefore(lastConditionalAccessCall.plusSeconds(1))) {
            throw throttled();
        }
        lastConditionalAccessCall = now;
    }

    /** Graph's answer for a path it has no resource for (a 400, not a 404). */
    static ApiError unknownSegment(String segment) {
        return ApiError.of(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
    }

    static ApiError methodNotAllowed() {
        return ApiError.of(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
    }

    /** Splits OData key syntax ({@code users('%24bob%40contoso.com')}, used for UPNs starting with '$') into two segments. */
    private static List<String> resourcePath(List<String> segments) {
        List<String> out = new ArrayList<>();
        for (String segment : segments) {
            Matcher key = KEY_SEGMENT.matcher(segment);
            if (key.matches()) {
                out.add(key.group(1));
                out.add(key.group(2).replace("''", "'"));
            } else {
                out.add(segment);
            }
        }
        return out;
    }

    /** The $select list, or null for the default projection. */
    static List<String> selectOf(Call call) {
        String select = call.query.get("$select");
        if (select == null || select.isBlank()) {
            return null;
        }
        return Arrays.stream(select.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Directory timestamps are whole seconds, e.g. 2023-08-23T12:29:10Z. */
    static String timestamp(Instant instant) {
        return SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Policy and PIM timestamps carry 7 fractional digits, e.g. 2022-04-11T11:50:03.9014347Z. */
    static String preciseTimestamp(Instant instant) {
        return TICKS.format(instant);
    }

    Reply entity(int status, String contextFragment, ObjectNode entity) {
        ObjectNode body = Json.object();
        body.put("@odata.context", context(contextFragment));
        body.setAll(entity);
        return Reply.json(status, body);
    }

    @Override
    public Reply error(ApiError error) {
        String requestId = UUID.randomUUID().toString();
        ObjectNode body = Json.object();
        ObjectNode inner = body.putObject("error")
                .put("code", error.code)
                .put("message", error.message());
        ObjectNode innerError = ((ObjectNode) body.get("error")).putObject("innerError");
        innerError.put("date", timestamp(Instant.now()).replace("Z", ""));
        innerError.put("request-id", requestId);
        innerError.put("client-request-id", requestId);
        if (error.details != null) {
            inner.set("details", error.details);
        }
        return Reply.json(error.status, body).header("request-id", requestId);
    }

    /**
     * Graph answers a missing or bad token with 401 InvalidAuthenticationToken
     * (https://learn.microsoft.com/graph/resolve-auth-errors).
     */
    @Override
    public Reply unauthorized(Call call) {
        String message = call.authorization == null ? "Access token is empty." : "Access token validation failure.";
        return error(ApiError.of(401, "InvalidAuthenticationToken", message))
                .header("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
    }

    @Override
    public void decorate(Reply reply) {
        String requestId = reply.headers.computeIfAbsent("request-id", k -> UUID.randomUUID().toString());
        reply.headers.putIfAbsent("client-request-id", requestId);
        reply.headers.putIfAbsent("Cache-Control", "no-cache");
        String percentage = settings.throttleLimitPercentage;
        if (percentage != null && reply.status / 100 == 2) {
            reply.headers.put("x-ms-throttle-limit-percentage", percentage);
        }
        if (reply.body.length > 0) {
            reply.headers.putIfAbsent("Content-Type", CONTENT_TYPE);
            reply.headers.putIfAbsent("OData-Version", "4.0");
        }
    }

    /** The body of https://learn.microsoft.com/graph/throttling#sample-response. */
    @Override
    public ApiError throttled() {
        return ApiError.of(429, "TooManyRequests", "Please retry again later.");
    }

    /** Codes from https://learn.microsoft.com/graph/errors#code-property. */
    @Override
    public ApiError serverError(int status) {
        if (status == 503) {
            return ApiError.of(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry after a delay.");
        }
        if (status == 504) {
            return ApiError.of(504, "UnknownError", "The operation timed out.");
        }
        return ApiError.of(status, "generalException", "An unspecified error has occurred.");
    }
}
