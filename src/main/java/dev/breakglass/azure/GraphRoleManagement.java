package dev.breakglass.azure;

import com.microsoft.graph.models.ExpirationPattern;
import com.microsoft.graph.models.ExpirationPatternType;
import com.microsoft.graph.models.RequestSchedule;
import com.microsoft.graph.models.UnifiedRoleAssignment;
import com.microsoft.graph.models.UnifiedRoleAssignmentSchedule;
import com.microsoft.graph.models.UnifiedRoleAssignmentScheduleRequest;
import com.microsoft.graph.models.UnifiedRoleScheduleRequestActions;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.steps.role.RoleManagement;
import java.time.OffsetDateTime;
import java.util.List;

/** {@link RoleManagement} on Microsoft Graph's unified RBAC API (v1.0). */
final class GraphRoleManagement implements RoleManagement {

    private final GraphServiceClient graph;

    GraphRoleManagement(GraphServiceClient graph) {
        this.graph = graph;
    }

    @Override
    public List<Assignment> listAssignmentSchedules(String principalId, String roleDefinitionId) {
        try {
            var schedules = graph.roleManagement().directory().roleAssignmentSchedules();
            return GraphPages.all(schedules.get(request -> request.queryParameters.filter = "principalId eq "
                    + GraphPages.literal(principalId) + " and roleDefinitionId eq " + GraphPages.literal(roleDefinitionId)),
                    page -> page.getValue(), link -> schedules.withUrl(link).get()).stream()
                    .map(GraphRoleManagement::toAssignment).toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the role assignment schedules of " + principalId, e);
        }
    }

    private static Assignment toAssignment(UnifiedRoleAssignmentSchedule schedule) {
        OffsetDateTime expires = null;
        if (schedule.getScheduleInfo() != null && schedule.getScheduleInfo().getExpiration() != null) {
            ExpirationPattern expiration = schedule.getScheduleInfo().getExpiration();
            if (expiration.getType() != ExpirationPatternType.NoExpiration) {
                expires = expiration.getEndDateTime() != null ? expiration.getEndDateTime() : OffsetDateTime.MIN;
            }
        }
        return new Assignment(schedule.getId(), schedule.getPrincipalId(), schedule.getRoleDefinitionId(),
                schedule.getDirectoryScopeId(), schedule.getStatus(), expires);
    }

    @Override
    public List<Assignment> listDirectAssignments(String principalId, String roleDefinitionId) {
        try {
            var assignments = graph.roleManagement().directory().roleAssignments();
            return GraphPages.all(assignments.get(request -> request.queryParameters.filter = "principalId eq "
                    + GraphPages.literal(principalId)), page -> page.getValue(),
                    link -> assignments.withUrl(link).get()).stream()
                    .filter(assignment -> roleDefinitionId.equalsIgnoreCase(assignment.getRoleDefinitionId()))
                    .map(GraphRoleManagement::toAssignment).toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the role assignments of " + principalId, e);
        }
    }

    private static Assignment toAssignment(UnifiedRoleAssignment assignment) {
        return new Assignment(assignment.getId(), assignment.getPrincipalId(), assignment.getRoleDefinitionId(),
                assignment.getDirectoryScopeId(), null, null);
    }

    @Override
    public void requestPermanentAssignment(String action, String principalId, String roleDefinitionId,
            String justification) {
        UnifiedRoleAssignmentScheduleRequest request = new UnifiedRoleAssignmentScheduleRequest();
        request.setAction("adminUpdate".equals(action)
                ? UnifiedRoleScheduleRequestActions.AdminUpdate : UnifiedRoleScheduleRequestActions.AdminAssign);
        request.setPrincipalId(principalId);
        request.setRoleDefinitionId(roleDefinitionId);
        request.setDirectoryScopeId("/");
        request.setJustification(justification);
        ExpirationPattern never = new ExpirationPattern();
        never.setType(ExpirationPatternType.NoExpiration);
        RequestSchedule schedule = new RequestSchedule();
        schedule.setStartDateTime(OffsetDateTime.now());
        schedule.setExpiration(never);
        request.setScheduleInfo(schedule);
        try {
            graph.roleManagement().directory().roleAssignmentScheduleRequests().post(request);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("requesting a permanent role assignment for " + principalId, e);
        }
    }

    @Override
    public void assignDirectly(String principalId, String roleDefinitionId) {
        UnifiedRoleAssignment assignment = new UnifiedRoleAssignment();
        assignment.setPrincipalId(principalId);
        assignment.setRoleDefinitionId(roleDefinitionId);
        assignment.setDirectoryScopeId("/");
        try {
            graph.roleManagement().directory().roleAssignments().post(assignment);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("assigning a directory role to " + principalId, e);
        }
    }
}
