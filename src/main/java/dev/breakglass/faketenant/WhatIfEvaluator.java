package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /identity/conditionalAccess/evaluate}, the Conditional Access What If API
 * (https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate): evaluates every stored policy against a
 * sign-in of a user to applications and answers a collection of {@code whatIfAnalysisResult} (the policy plus
 * {@code policyApplies} and {@code analysisReasons}, https://learn.microsoft.com/graph/api/resources/whatifanalysisresult).
 *
 * <p>Faithful enough for breakglass, and simplified where marked (not recorded against the real service):
 * <ul>
 *   <li>users: include/exclude users, groups (direct members only) and roles (direct, active assignments only);
 *       {@code GuestsOrExternalUsers} never matches a member user;</li>
 *   <li>applications: app ids, {@code All}, and {@code MicrosoftAdminPortals} for the Azure portal and the admin
 *       centers' ids below; {@code Office365} matches no admin portal;</li>
 *   <li>locations: the sign-in is in no named location and not trusted (named locations are not modelled);</li>
 *   <li>risk levels, client app types, platforms and authentication flows are compared with the request's values
 *       (absent risk = none); a device filter in exclude mode applies, in include mode does not (no device info);</li>
 *   <li>{@code disabled} policies never apply ({@code policyNotEnabled}); report-only ones are evaluated.</li>
 * </ul>
 */
final class WhatIfEvaluator {
    /** Azure portal and the Microsoft 365, Exchange and Entra admin centers, as Microsoft Admin Portals covers them (subset). */
    private static final Set<String> ADMIN_PORTALS = Set.of("c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
            "00000006-0000-0ff1-ce00-000000000000", "497effe9-df71-4043-a8bb-14cf78c4b63b");

    private final TenantState state;

    WhatIfEvaluator(TenantState state) {
        this.state = state;
    }

    ArrayNode evaluate(ObjectNode request, List<ObjectNode> renderedPolicies) {
        for (String required : List.of("signInIdentity", "signInContext", "signInConditions")) {
            if (!(request.get(required) instanceof ObjectNode)) {
                throw ApiError.badRequest("The parameter '" + required + "' is required.");
            }
        }
        String userId = Json.text(request.get("signInIdentity"), "userId");
        Directory.User user = userId == null ? null : state.directory.user(userId);
        if (user == null) {
            throw ApiError.badRequest("signInIdentity.userId must name a user of the tenant.");
        }
        List<String> apps = texts(request.get("signInContext").path("includeApplications"));
        boolean onlyApplied = request.path("appliedPoliciesOnly").asBoolean(false);
        ArrayNode results = Json.array();
        for (ObjectNode policy : renderedPolicies) {
            String reason = whyNot(policy, user, apps, (ObjectNode) request.get("signInConditions"));
            if (onlyApplied && reason != null) {
                continue;
            }
            ObjectNode result = Json.object();
            result.put("@odata.type", "#microsoft.graph.whatIfAnalysisResult");
            result.setAll(policy);
            result.put("policyApplies", reason == null);
            result.put("analysisReasons", reason == null ? "notSet" : reason);
            results.add(result);
        }
        return results;
    }

    /** Null when the policy applies, else the whatIfAnalysisReasons member that says why not. */
    private String whyNot(ObjectNode policy, Directory.User user, List<String> apps, ObjectNode signIn) {
        if ("disabled".equals(Json.text(policy, "state"))) {
            return "policyNotEnabled";
        }
        JsonNode conditions = policy.path("conditions");
        if (!usersMatch(conditions.path("users"), user)) {
            return "users";
        }
        if (!applicationsMatch(conditions.path("applications"), apps)) {
            return "application";
        }
        if (!levelMatches(conditions.path("signInRiskLevels"), Json.text(signIn, "signInRiskLevel"))) {
            return "signInRisk";
        }
        if (!levelMatches(conditions.path("userRiskLevels"), Json.text(signIn, "userRiskLevel"))) {
            return "userRisk";
        }
        List<String> clientApps = texts(conditions.path("clientAppTypes"));
        String clientApp = Json.text(signIn, "clientAppType");
        if (!clientApps.isEmpty() && !clientApps.contains("all") && (clientApp == null || !clientApps.contains(clientApp))) {
            return "clientApps";
        }
        List<String> platforms = lower(texts(conditions.path("platforms").path("includePlatforms")));
        String platform = Json.text(signIn, "devicePlatform");
        if (!platforms.isEmpty() && !platforms.contains("all")
                && (platform == null || !platforms.contains(platform.toLowerCase(Locale.ROOT)))) {
            return "devicePlatform";
        }
        List<String> locations = texts(conditions.path("locations").path("includeLocations"));
        if (!locations.isEmpty() && !locations.contains("All")) {
            return "location";
        }
        String flows = Json.text(conditions.path("authenticationFlows"), "transferMethods");
        if (flows != null && !flows.isBlank() && !flows.equals("none")) {
            return "authenticationFlow";
        }
        if ("include".equals(Json.text(conditions.path("devices").path("deviceFilter"), "mode"))) {
            return "devices";
        }
        return null;
    }

    private boolean usersMatch(JsonNode users, Directory.User user) {
        Set<String> groups = new HashSet<>();
        state.directory.groups.values().stream().filter(g -> g.members.contains(user.id)).forEach(g -> groups.add(g.id));
        Set<String> roles = new HashSet<>();
        state.roles.assignments.values().stream().filter(a -> a.principalId.equalsIgnoreCase(user.id))
                .forEach(a -> roles.add(a.roleDefinitionId.toLowerCase(Locale.ROOT)));
        boolean included = lower(texts(users.path("includeUsers"))).contains("all")
                || contains(users.path("includeUsers"), Set.of(user.id))
                || contains(users.path("includeGroups"), groups)
                || contains(users.path("includeRoles"), roles);
        boolean excluded = contains(users.path("excludeUsers"), Set.of(user.id))
                || contains(users.path("excludeGroups"), groups)
                || contains(users.path("excludeRoles"), roles);
        return included && !excluded;
    }

    private static boolean applicationsMatch(JsonNode applications, List<String> apps) {
        List<String> include = texts(applications.path("includeApplications"));
        List<String> exclude = lower(texts(applications.path("excludeApplications")));
        for (String app : lower(apps)) {
            boolean adminPortal = ADMIN_PORTALS.contains(app);
            boolean in = include.contains("All") || lower(include).contains(app)
                    || (adminPortal && include.contains("MicrosoftAdminPortals"));
            boolean out = exclude.contains(app) || (adminPortal && exclude.contains("microsoftadminportals"));
            if (in && !out) {
                return true;
            }
        }
        return false;
    }

    private static boolean levelMatches(JsonNode levels, String requested) {
        List<String> wanted = texts(levels);
        return wanted.isEmpty() || wanted.contains(requested == null ? "none" : requested);
    }

    private static boolean contains(JsonNode array, Set<String> ids) {
        return lower(texts(array)).stream().anyMatch(id -> ids.contains(id));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(value -> out.add(value.asText()));
        return out;
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }
}
