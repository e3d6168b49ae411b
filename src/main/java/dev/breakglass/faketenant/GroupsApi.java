package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /groups}: create (https://learn.microsoft.com/graph/api/group-post-groups), get, list, update (204),
 * delete, and membership through {@code members}, {@code members/$ref} and {@code members/{id}/$ref}
 * (https://learn.microsoft.com/graph/api/group-post-members, https://learn.microsoft.com/graph/api/group-delete-members).
 */
final class GroupsApi {
    private static final List<String> REQUIRED = List.of("displayName", "mailEnabled", "mailNickname", "securityEnabled");

    private final GraphService graph;
    private final TenantState state;
    private final Settings settings;

    GroupsApi(GraphService graph, TenantState state, Settings settings) {
        this.graph = graph;
        this.state = state;
        this.settings = settings;
    }

    Reply handle(Call call, List<String> path) {
        if (path.size() == 1) {
            switch (call.method) {
                case "GET":
                    List<JsonNode> all = state.directory.groups.values().stream().map(g -> (JsonNode) g.data).toList();
                    return Reply.json(200, new GraphList(graph, call, settings)
                            .page("groups", all, select -> data -> Directory.projectGroup(data, select)));
                case "POST":
                    return create(call.jsonBody());
                default:
                    throw GraphService.methodNotAllowed();
            }
        }
        Directory.Group group = state.directory.groups.get(path.get(1).toLowerCase(java.util.Locale.ROOT));
        if (group == null) {
            throw ApiError.resourceNotFound(path.get(1));
        }
        if (path.size() == 2) {
            return group(call, group);
        }
        if (!path.get(2).equals("members")) {
            throw GraphService.unknownSegment(path.get(2));
        }
        return members(call, group, path.subList(3, path.size()));
    }

    private Reply group(Call call, Directory.Group group) {
        switch (call.method) {
            case "GET":
                return graph.entity(200, "groups/$entity", Directory.projectGroup(group.data, GraphService.selectOf(call)));
            case "PATCH":
                ObjectNode body = call.jsonBody();
                if (body.has("id") && !group.id.equalsIgnoreCase(body.path("id").asText())) {
                    throw ApiError.badRequest("Property 'id' is read-only and cannot be set.");
                }
                Json.mergePatch(group.data, body);
                return Reply.empty(204);
            case "DELETE":
                state.directory.groups.remove(group.id);
                return Reply.empty(204);
            default:
                throw GraphService.methodNotAllowed();
        }
    }

    private Reply members(Call call, Directory.Group group, List<String> rest) {
        if (rest.isEmpty()) {
            if (!call.method.equals("GET")) {
                throw GraphService.methodNotAllowed();
            }
            List<JsonNode> all = new ArrayList<>();
            group.members.forEach(id -> all.add(state.directory.users.get(id).data));
            return Reply.json(200, new GraphList(graph, call, settings)
                    .page("directoryObjects", all, select -> data -> member(data, select)));
        }
        if (rest.size() == 1 && rest.get(0).equals("$ref")) {
            if (!call.method.equals("POST")) {
                throw GraphService.methodNotAllowed();
            }
            String id = referencedId(call.jsonBody());
            addMember(group, id);
            return Reply.empty(204);
        }
        if (rest.size() == 2 && rest.get(1).equals("$ref")) {
            if (!call.method.equals("DELETE")) {
                throw GraphService.methodNotAllowed();
            }
            if (!group.members.remove(rest.get(0).toLowerCase(java.util.Locale.ROOT))) {
                throw ApiError.resourceNotFound(rest.get(0));
            }
            return Reply.empty(204);
        }
        throw GraphService.unknownSegment(rest.get(rest.size() - 1));
    }

    private Reply create(ObjectNode body) {
        for (String property : REQUIRED) {
            if (body.get(property) == null || body.get(property).isNull()) {
                throw ApiError.badRequest("A value is required for property '" + property + "' of resource 'Group'.");
            }
        }
        // Role-assignable groups must be security groups that are not mail-enabled
        // (https://learn.microsoft.com/entra/identity/role-based-access-control/groups-create-eligible).
        if (body.path("isAssignableToRole").asBoolean(false)
                && (!body.path("securityEnabled").asBoolean(false) || body.path("mailEnabled").asBoolean(true))) {
            throw ApiError.badRequest("A role-assignable group must be security-enabled and must not be mail-enabled.");
        }
        List<String> memberIds = new ArrayList<>();
        JsonNode binds = body.get("members@odata.bind");
        if (binds != null) {
            binds.forEach(url -> memberIds.add(lastSegment(url.asText())));
        }
        memberIds.forEach(this::requireReplicatedUser);
        ObjectNode data = body.deepCopy();
        data.remove("members@odata.bind");
        data.remove("owners@odata.bind");
        if (!data.has("isAssignableToRole")) {
            data.putNull("isAssignableToRole");
        }
        Directory.Group group = state.directory.addGroup(data, Instant.now());
        memberIds.forEach(id -> group.members.add(id.toLowerCase(java.util.Locale.ROOT)));
        return graph.entity(201, "groups/$entity", Directory.projectGroup(group.data, null));
    }

    private void addMember(Directory.Group group, String id) {
        Directory.User user = requireReplicatedUser(id);
        if (group.members.contains(user.id)) {
            throw ApiError.badRequest("One or more added object references already exist for the following modified properties: 'members'.");
        }
        group.members.add(user.id);
    }

    /** A just-created user is unknown to membership writes until replication catches up. */
    private Directory.User requireReplicatedUser(String id) {
        Directory.User user = state.directory.users.get(id.toLowerCase(java.util.Locale.ROOT));
        if (user == null || !user.replicated(Instant.now())) {
            throw ApiError.resourceNotFound(id);
        }
        return user;
    }

    /** {@code {"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/{id}"}}: any host, the id is the last segment. */
    private static String referencedId(ObjectNode body) {
        String url = Json.text(body, "@odata.id");
        if (url == null) {
            throw ApiError.badRequest("Invalid request body: '@odata.id' is required.");
        }
        return lastSegment(url);
    }

    private static String lastSegment(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static ObjectNode member(JsonNode user, List<String> select) {
        ObjectNode out = Json.object();
        out.put("@odata.type", "#microsoft.graph.user");
        out.setAll(Directory.projectUser(user, select));
        return out;
    }
}
