package dev.breakglass.steps.role;

import java.time.OffsetDateTime;
import java.util.List;

/** Entra directory role assignments: through PIM, or directly where the tenant has no P2. */
public interface RoleManagement {

    /**
     * {@code GET /roleManagement/directory/roleAssignmentSchedules?$filter=principalId eq … and roleDefinitionId eq …}.
     * Fails with code {@code AadPremiumLicenseRequired} on tenants without Entra ID P2.
     */
    List<Assignment> listAssignmentSchedules(String principalId, String roleDefinitionId);

    /** {@code GET /roleManagement/directory/roleAssignments?$filter=principalId eq …}, filtered to the role. */
    List<Assignment> listDirectAssignments(String principalId, String roleDefinitionId);

    /**
     * {@code POST /roleManagement/directory/roleAssignmentScheduleRequests} with {@code action} ({@code adminAssign}
     * or {@code adminUpdate}) and {@code expiration.type = noExpiration}, at directory scope {@code /}.
     */
    void requestPermanentAssignment(String action, String principalId, String roleDefinitionId, String justification);

    /** {@code POST /roleManagement/directory/roleAssignments} at directory scope {@code /}. */
    void assignDirectly(String principalId, String roleDefinitionId);

    /**
     * @param expires null when the assignment never expires
     */
    record Assignment(String id, String principalId, String roleDefinitionId, String directoryScopeId,
            String status, OffsetDateTime expires) {

        public boolean isPermanentAtDirectoryScope() {
            return expires == null && "/".equals(directoryScopeId)
                    && (status == null || "Provisioned".equalsIgnoreCase(status));
        }
    }
}
