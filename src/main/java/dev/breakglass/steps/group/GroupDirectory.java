package dev.breakglass.steps.group;

import java.util.List;

/** Entra security groups and their direct members. */
public interface GroupDirectory {

    /** {@code GET /groups?$filter=mailNickname eq '…'}: every group with that nickname (it is not unique). */
    List<SecurityGroup> findByMailNickname(String mailNickname);

    /** {@code POST /groups}: a role-assignable security group (only privileged roles can change its members). */
    SecurityGroup createRoleAssignable(String mailNickname, String displayName, String description);

    /** {@code GET /groups/{id}/members}, every page. */
    List<Member> listMembers(String groupId);

    /**
     * {@code POST /groups/{id}/members/$ref}. A member that is already there fails with code
     * {@code MemberAlreadyExists}; one that is not replicated yet with {@code Request_ResourceNotFound}.
     */
    void addMember(String groupId, String memberId);

    /** {@code DELETE /groups/{id}/members/{memberId}/$ref}. */
    void removeMember(String groupId, String memberId);

    record SecurityGroup(String id, String displayName, boolean roleAssignable) {
    }

    /** @param displayName user principal name or display name, for reports */
    record Member(String id, String displayName) {
    }
}
