package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /users}: create (https://learn.microsoft.com/graph/api/user-post-users), get by id or UPN, list with
 * $filter/$select/$top, update (204, https://learn.microsoft.com/graph/api/user-update) and delete (204).
 */
final class UsersApi {
    private static final List<String> REQUIRED = List.of("accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName");
    /** Characters the user-post-users doc allows in the alias, plus '$', which the recorded traffic shows accepted. */
    private static final Pattern UPN = Pattern.compile("[A-Za-z0-9'.\\-_!#^~$]+@([A-Za-z0-9.\\-]+)");

    private final GraphService graph;
    private final TenantState state;
    private final Settings settings;

    UsersApi(GraphService graph, TenantState state, Settings settings) {
        this.graph = graph;
        this.state = state;
        this.settings = settings;
    }

    Reply handle(Call call, List<String> path) {
        if (path.size() > 2 && path.get(2).equals("authentication")) {
            Directory.User owner = state.directory.user(path.get(1));
            if (owner == null) {
                throw ApiError.resourceNotFound(path.get(1));
            }
            return new AuthenticationMethodsApi(graph, state).handle(call, owner, path);
        }
        if (path.size() > 2) {
            return relation(call, path);
        }
        requireLicenceForSignInActivity(call);
        if (path.size() == 1) {
            switch (call.method) {
                case "GET":
                    GraphList list = new GraphList(graph, call, settings);
                    List<JsonNode> all = state.directory.users.values().stream().map(u -> (JsonNode) u.data).toList();
                    return Reply.json(200, list.page("users", all, select -> data -> Directory.projectUser(data, select)));
                case "POST":
                    return create(call.jsonBody());
                default:
                    throw GraphService.methodNotAllowed();
            }
        }
        Directory.User user = state.directory.user(path.get(1));
        if (user == null) {
            throw ApiError.resourceNotFound(path.get(1));
        }
        switch (call.method) {
            case "GET":
                return graph.entity(200, "users/$entity", Directory.projectUser(user.data, GraphService.selectOf(call)));
            case "PATCH":
                update(user, call.jsonBody());
                return Reply.empty(204);
            case "DELETE":
                state.deleteUser(user.id);
                return Reply.empty(204);
            default:
                throw GraphService.methodNotAllowed();
        }
    }

    /**
     * {@code signInActivity} needs an Entra ID P1 or P2 licence; without one Graph answers 403
     * {@code Authentication_RequestFromNonPremiumTenantOrB2CTenant} (https://learn.microsoft.com/graph/api/resources/signinactivity;
     * body from microsoft-graph-docs issues #12772 and #14120).
     */
    private void requireLicenceForSignInActivity(Call call) {
        List<String> select = GraphService.selectOf(call);
        boolean wantsActivity = select != null && select.stream().anyMatch(p -> p.equalsIgnoreCase("signInActivity"));
        if (wantsActivity && !state.directory.hasServicePlan("AAD_PREMIUM") && !state.directory.hasServicePlan("AAD_PREMIUM_P2")) {
            throw ApiError.of(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                    "Neither tenant is B2C or tenant doesn't have premium license");
        }
    }

    /**
     * {@code GET /users/{id}/memberOf}, which the integrity check reads: groups and administrative units the user is
     * a direct member of (https://learn.microsoft.com/graph/api/user-list-memberof).
     */
    private Reply relation(Call call, List<String> path) {
        Directory.User user = state.directory.user(path.get(1));
        if (user == null) {
            throw ApiError.resourceNotFound(path.get(1));
        }
        if (!call.method.equals("GET")) {
            throw GraphService.methodNotAllowed();
        }
        String relation = String.join("/", path.subList(2, path.size()));
        GraphList list = new GraphList(graph, call, settings);
        switch (relation) {
            case "memberOf":
                List<JsonNode> groups = state.directory.groups.values().stream()
                        .filter(group -> group.members.contains(user.id))
                        .map(group -> (JsonNode) Json.object().put("@odata.type", "#microsoft.graph.group")
                                .setAll(Directory.projectGroup(group.data, null)))
                        .toList();
                return Reply.json(200, list.page("directoryObjects", groups, select -> data -> (ObjectNode) data));
            default:
                throw GraphService.unknownSegment(path.get(2));
        }
    }

    private Reply create(ObjectNode body) {
        for (String property : REQUIRED) {
            JsonNode value = body.get(property);
            if (value == null || value.isNull()) {
                throw ApiError.badRequest("A value is required for property '" + property + "' of resource 'User'.");
            }
        }
        String password = Json.text(body.get("passwordProfile"), "password");
        if (password == null) {
            throw ApiError.badRequest("A value is required for property 'passwordProfile.password' of resource 'User'.");
        }
        String upn = body.get("userPrincipalName").asText();
        checkUpn(upn, null);
        checkPassword(password);
        Instant now = Instant.now();
        Directory.User user = state.directory.addUser(body, password, now, now.plus(settings.replicationLag));
        // The real service answers with a v2 directoryObjects URL, not the v1.0 resource URL (recorded traffic).
        return graph.entity(201, "users/$entity", Directory.projectUser(user.data, null))
                .header("Location", graph.origin() + "/v2/" + state.tenantId + "/directoryObjects/" + user.id
                        + "/Microsoft.DirectoryServices.User");
    }

    private void update(Directory.User user, ObjectNode body) {
        if (body.has("id") && !user.id.equalsIgnoreCase(body.path("id").asText())) {
            throw ApiError.badRequest("Property 'id' is read-only and cannot be set.");
        }
        String upn = Json.text(body, "userPrincipalName");
        if (upn != null && !upn.equalsIgnoreCase(user.upn())) {
            checkUpn(upn, user.id);
        }
        String password = Json.text(body.get("passwordProfile"), "password");
        ObjectNode patch = body.deepCopy();
        if (password != null) {
            checkPassword(password);
            ((ObjectNode) patch.get("passwordProfile")).remove("password");
        }
        Json.mergePatch(user.data, patch);
        if (password != null) {
            user.password = password;
            user.data.put("lastPasswordChangeDateTime", GraphService.timestamp(Instant.now()));
        }
    }

    private void checkUpn(String upn, String selfId) {
        var match = UPN.matcher(upn);
        if (!match.matches()) {
            throw ApiError.withDetail(400, "Request_BadRequest", "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
                    "userPrincipalName", "InvalidValue");
        }
        if (!state.directory.isVerifiedDomain(match.group(1))) {
            throw ApiError.withDetail(400, "Request_BadRequest",
                    "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
                    "userPrincipalName", "InvalidValue");
        }
        Directory.User existing = state.directory.user(upn);
        if (existing != null && !existing.id.equals(selfId)) {
            // 400, not 409: a Microsoft engineer in microsoft-graph-docs issue #1508.
            throw ApiError.withDetail(400, "Request_BadRequest",
                    "Another object with the same value for property userPrincipalName already exists.",
                    "userPrincipalName", "ObjectConflict");
        }
    }

    /**
     * Entra ID's cloud password rules: 8 to 256 characters, three of lower case, upper case, digits and symbols
     * (https://learn.microsoft.com/entra/identity/authentication/concept-password-ban-bad-combined-policy).
     */
    private static void checkPassword(String password) {
        int classes = 0;
        classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        if (password.length() < 8 || password.length() > 256 || classes < 3) {
            throw ApiError.badRequest("The specified password does not comply with password complexity requirements. Please provide a different password.");
        }
    }
}
