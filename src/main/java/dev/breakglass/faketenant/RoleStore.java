package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Directory role assignments, whether made directly or through PIM. A PIM-made one also has a schedule
 * (id = the request id, {@code createdUsing} = the request id); a direct one shows up in the schedules list
 * under its own assignment id with {@code createdUsing: null}, as in the docs example
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentschedules).
 * Not thread-safe: callers hold {@link TenantState}'s lock.
 */
final class RoleStore {

    static final class Assignment {
        final String id;
        final String principalId;
        final String roleDefinitionId;
        final String directoryScopeId;
        /** Null for a direct (non-PIM) assignment. */
        final String scheduleId;
        final ObjectNode scheduleInfo;

        Assignment(String id, String principalId, String roleDefinitionId, String directoryScopeId,
                   String scheduleId, ObjectNode scheduleInfo) {
            this.id = id;
            this.principalId = principalId;
            this.roleDefinitionId = roleDefinitionId;
            this.directoryScopeId = directoryScopeId;
            this.scheduleId = scheduleId;
            this.scheduleInfo = scheduleInfo;
        }
    }

    final Map<String, Assignment> assignments = new LinkedHashMap<>();
    final List<ObjectNode> requests = new ArrayList<>();

    Assignment find(String principalId, String roleDefinitionId, String directoryScopeId) {
        return assignments.values().stream()
                .filter(a -> a.principalId.equalsIgnoreCase(principalId)
                        && a.roleDefinitionId.equalsIgnoreCase(roleDefinitionId)
                        && a.directoryScopeId.equals(directoryScopeId))
                .findFirst().orElse(null);
    }

    Assignment add(String principalId, String roleDefinitionId, String directoryScopeId, String scheduleId,
                   ObjectNode scheduleInfo) {
        Assignment assignment = new Assignment(assignmentId(roleDefinitionId, principalId), principalId, roleDefinitionId,
                directoryScopeId, scheduleId, scheduleInfo);
        assignments.put(assignment.id, assignment);
        return assignment;
    }

    void removePrincipal(String principalId) {
        assignments.values().removeIf(a -> a.principalId.equalsIgnoreCase(principalId));
    }

    /** The list shape of https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments (resourceScope included). */
    static ObjectNode assignmentJson(Assignment a) {
        ObjectNode out = Json.object();
        out.put("id", a.id);
        out.put("principalId", a.principalId);
        out.put("resourceScope", a.directoryScopeId);
        out.put("directoryScopeId", a.directoryScopeId);
        out.put("roleDefinitionId", a.roleDefinitionId);
        return out;
    }

    static ObjectNode scheduleJson(Assignment a) {
        boolean direct = a.scheduleId == null;
        ObjectNode out = Json.object();
        out.put("id", direct ? a.id : a.scheduleId);
        out.put("principalId", a.principalId);
        out.put("roleDefinitionId", a.roleDefinitionId);
        out.put("directoryScopeId", a.directoryScopeId);
        out.putNull("appScopeId");
        out.put("createdUsing", a.scheduleId);
        if (direct) {
            out.putNull("createdDateTime");
        } else {
            out.set("createdDateTime", a.scheduleInfo.get("startDateTime"));
        }
        out.putNull("modifiedDateTime");
        out.put("status", "Provisioned");
        out.put("assignmentType", "Assigned");
        out.put("memberType", "Direct");
        out.set("scheduleInfo", a.scheduleInfo.deepCopy());
        return out;
    }

    static ObjectNode permanentSchedule(Instant start) {
        ObjectNode schedule = Json.object();
        schedule.put("startDateTime", GraphService.preciseTimestamp(start));
        schedule.putNull("recurrence");
        schedule.putObject("expiration").put("type", "noExpiration").putNull("endDateTime").putNull("duration");
        return schedule;
    }

    /**
     * Real ids are base64url(roleDefinitionId bytes ‖ principalId bytes, .NET GUID byte order) + "-1": the docs'
     * {@code lAPpYvVpN0KRkAEhdxReEHJ1hPGqSKpHlqMuxhkE9B8-1} is Global Administrator for f1847572-….
     * Non-GUID inputs get a random id of the same look.
     */
    static String assignmentId(String roleDefinitionId, String principalId) {
        ByteBuffer bytes = ByteBuffer.allocate(32);
        try {
            putDotNetGuid(bytes, UUID.fromString(roleDefinitionId));
            putDotNetGuid(bytes, UUID.fromString(principalId));
        } catch (IllegalArgumentException e) {
            bytes.clear();
            putDotNetGuid(bytes, UUID.randomUUID());
            putDotNetGuid(bytes, UUID.randomUUID());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array()) + "-1";
    }

    private static void putDotNetGuid(ByteBuffer out, UUID guid) {
        ByteBuffer raw = ByteBuffer.allocate(16).putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits());
        byte[] b = raw.array();
        ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(ByteBuffer.wrap(b, 0, 4).getInt());
        le.putShort(ByteBuffer.wrap(b, 4, 2).getShort());
        le.putShort(ByteBuffer.wrap(b, 6, 2).getShort());
        out.put(le.array());
        out.put(b, 8, 8);
    }
}
