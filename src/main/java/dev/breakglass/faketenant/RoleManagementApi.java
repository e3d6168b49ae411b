package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code /roleManagement/directory/…}: PIM assignment schedule requests and schedules, and direct role
 * assignments. Shapes follow the docs examples in {@code api-contracts/graph/docs_examples_and_captured_responses.json}.
 */
final class RoleManagementApi {
    private static final List<String> EXPIRATION_TYPES = List.of("notSpecified", "noExpiration", "afterDateTime", "afterDuration");

    private final GraphService graph;
    private final TenantState state;
    private final Settings settings;

    RoleManagementApi(GraphService graph, TenantState state, Settings settings) {
        this.graph = graph;
        this.state = state;
        this.settings = settings;
    }

    Reply handle(Call call, List<String> path) {
        if (path.size() < 3 || !path.get(1).equals("directory")) {
            throw GraphService.unknownSegment(path.size() < 2 ? "roleManagement" : path.get(1));
        }
        String collection = path.get(2);
        switch (collection) {
            case "roleAssignmentScheduleRequests":
                requirePimLicence();
                if (path.size() == 3 && call.method.equals("POST")) {
                    return scheduleRequest(call.jsonBody());
                }
                if (path.size() == 3 && call.method.equals("GET")) {
                    return list(call, collection, state.roles.requests);
                }
                throw path.size() == 3 ? GraphService.methodNotAllowed() : GraphService.unknownSegment(path.get(3));
            case "roleAssignmentSchedules":
                requirePimLicence();
                if (path.size() > 3) {
                    throw GraphService.unknownSegment(path.get(3));
                }
                if (!call.method.equals("GET")) {
                    throw GraphService.methodNotAllowed();
                }
                return list(call, collection, state.roles.assignments.values().stream().map(RoleStore::scheduleJson).toList());
            case "roleAssignments":
                return roleAssignments(call, path);
            default:
                throw GraphService.unknownSegment(collection);
        }
    }

    private Reply roleAssignments(Call call, List<String> path) {
        if (path.size() == 3) {
            switch (call.method) {
                case "GET":
                    return list(call, "roleAssignments", state.roles.assignments.values().stream().map(RoleStore::assignmentJson).toList());
                case "POST":
                    return directAssignment(call.jsonBody());
                default:
                    throw GraphService.methodNotAllowed();
            }
        }
        if (path.size() > 4) {
            throw GraphService.unknownSegment(path.get(4));
        }
        RoleStore.Assignment assignment = state.roles.assignments.get(path.get(3));
        if (assignment == null) {
            throw ApiError.resourceNotFound(path.get(3));
        }
        switch (call.method) {
            case "GET":
                return graph.entity(200, "roleManagement/directory/roleAssignments/$entity", RoleStore.assignmentJson(assignment));
            case "DELETE":
                state.roles.assignments.remove(assignment.id);
                return Reply.empty(204);
            default:
                throw GraphService.methodNotAllowed();
        }
    }

    private Reply list(Call call, String collection, List<? extends JsonNode> items) {
        return Reply.json(200, new GraphList(graph, call, settings).page("roleManagement/directory/" + collection, items,
                select -> item -> project(item, select)));
    }

    private static ObjectNode project(JsonNode item, List<String> select) {
        if (select == null) {
            return (ObjectNode) item.deepCopy();
        }
        ObjectNode out = Json.object();
        out.set("id", item.get("id"));
        select.forEach(p -> out.set(p, item.has(p) ? item.get(p).deepCopy() : Json.object().nullNode()));
        return out;
    }

    /**
     * PIM without a P2 / ID Governance licence: 400 AadPremiumLicenseRequired, as several clients report
     * ({@code observed_error_and_throttle_bodies.json}, PIM_license_missing).
     */
    private void requirePimLicence() {
        if (!settings.pimLicensed) {
            throw ApiError.of(400, "AadPremiumLicenseRequired",
                    "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.");
        }
    }

    private Reply scheduleRequest(ObjectNode body) {
        String action = required(body, "action");
        if (!action.equalsIgnoreCase("adminAssign")) {
            throw ApiError.badRequest("The fake tenant supports only the adminAssign action, not '" + action + "'.");
        }
        String principalId = required(body, "principalId").toLowerCase(Locale.ROOT);
        String roleDefinitionId = required(body, "roleDefinitionId");
        String scope = required(body, "directoryScopeId");
        String expiration = expirationType(body.path("scheduleInfo").path("expiration").path("type").asText("noExpiration"));
        requirePrincipal(principalId);
        if (state.roles.find(principalId, roleDefinitionId, scope) != null) {
            // 400, not ARM's 409 (terraform-provider-azuread #1306, Microsoft365DSC #5532).
            throw ApiError.of(400, "RoleAssignmentExists", "The Role assignment already exists.");
        }
        Instant now = Instant.now();
        String requestId = UUID.randomUUID().toString();
        // The service replaces startDateTime with its own processing time and echoes enums in camelCase.
        ObjectNode schedule = RoleStore.permanentSchedule(now);
        ObjectNode expirationOut = (ObjectNode) schedule.get("expiration");
        expirationOut.put("type", expiration);
        JsonNode requested = body.path("scheduleInfo").path("expiration");
        expirationOut.set("endDateTime", requested.has("endDateTime") ? requested.get("endDateTime") : Json.object().nullNode());
        expirationOut.set("duration", requested.has("duration") ? requested.get("duration") : Json.object().nullNode());
        state.roles.add(principalId, roleDefinitionId, scope, requestId, schedule);

        ObjectNode request = Json.object();
        request.put("id", requestId);
        request.put("status", "Provisioned");
        request.put("createdDateTime", GraphService.preciseTimestamp(now));
        request.put("completedDateTime", GraphService.preciseTimestamp(now));
        request.putNull("approvalId");
        request.putNull("customData");
        request.put("action", "adminAssign");
        request.put("principalId", principalId);
        request.put("roleDefinitionId", roleDefinitionId);
        request.put("directoryScopeId", scope);
        request.putNull("appScopeId");
        request.put("isValidationOnly", false);
        request.put("targetScheduleId", requestId);
        request.set("justification", body.has("justification") ? body.get("justification") : Json.object().nullNode());
        ObjectNode createdBy = request.putObject("createdBy");
        createdBy.putNull("application");
        createdBy.putNull("device");
        createdBy.putObject("user").putNull("displayName").put("id", UUID.nameUUIDFromBytes(state.tenantId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        request.set("scheduleInfo", schedule.deepCopy());
        request.putObject("ticketInfo").putNull("ticketNumber").putNull("ticketSystem");
        state.roles.requests.add(request.deepCopy());
        return graph.entity(201, "roleManagement/directory/roleAssignmentScheduleRequests/$entity", request);
    }

    private Reply directAssignment(ObjectNode body) {
        String principalId = required(body, "principalId").toLowerCase(Locale.ROOT);
        String roleDefinitionId = required(body, "roleDefinitionId");
        String scope = required(body, "directoryScopeId");
        requirePrincipal(principalId);
        if (state.roles.find(principalId, roleDefinitionId, scope) != null) {
            // Reported for the direct path (dod-ccpo/atat PR #1554), a 400 like every Graph conflict.
            throw ApiError.badRequest("A conflicting object with one or more of the specified property values is present in the directory.");
        }
        RoleStore.Assignment assignment = state.roles.add(principalId, roleDefinitionId, scope, null,
                RoleStore.permanentSchedule(Instant.now()));
        ObjectNode out = Json.object();
        out.put("id", assignment.id);
        out.put("roleDefinitionId", roleDefinitionId);
        out.put("principalId", principalId);
        out.put("directoryScopeId", scope);
        return graph.entity(201, "roleManagement/directory/roleAssignments/$entity", out);
    }

    /**
     * A principal PIM and the role service cannot see yet (unknown, or created less than the replication lag
     * ago) is answered 404 Request_ResourceNotFound. Microsoft confirmed these transient "Not Found" errors
     * after user creation (msgraph-sdk-dotnet #2772, a replication delay of tens of seconds up to a couple of
     * minutes); no published body shows a different code, so the fake uses the directory's not-found error.
     */
    private void requirePrincipal(String principalId) {
        Directory.User user = state.directory.users.get(principalId);
        boolean visible = user != null ? user.replicated(Instant.now()) : state.directory.groups.containsKey(principalId);
        if (!visible) {
            throw ApiError.resourceNotFound(principalId);
        }
    }

    private static String expirationType(String requested) {
        return EXPIRATION_TYPES.stream().filter(t -> t.equalsIgnoreCase(requested)).findFirst()
                .orElseThrow(() -> ApiError.badRequest("Invalid value '" + requested + "' for expirationPatternType."));
    }

    private static String required(ObjectNode body, String property) {
        String value = Json.text(body, property);
        if (value == null || value.isEmpty()) {
            throw ApiError.badRequest("A value is required for property '" + property + "'.");
        }
        return value;
    }
}
