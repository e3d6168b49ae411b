package dev.breakglass.steps.user;

import java.util.Optional;

/** Entra users, by UPN. */
public interface UserDirectory {

    /** {@code GET /users/{upn}} with the properties breakglass compares; empty on 404. */
    Optional<DirectoryUser> findByUpn(String upn);

    /**
     * {@code POST /users}. A duplicate UPN fails with {@code CloudException} code {@code ObjectConflict}
     * (Graph answers 400, not 409).
     *
     * @return the new user's object id
     */
    String create(NewUser user);

    /** {@code PATCH /users/{id}} of the fields that drifted (204). */
    void update(String userId, UserChanges changes);

    /**
     * {@code PATCH /users/{id}} of {@code passwordProfile} (204): an administrator's reset, so the user
     * is not asked to change it at the next sign-in. The password is held only for the call.
     */
    void resetPassword(String userId, String password);

    /**
     * {@code PATCH /users/{id}} of {@code accountEnabled} (204): compensation disables a half-provisioned account,
     * and the next run re-enables it with a new password.
     */
    void setEnabled(String userId, boolean enabled);

    /**
     * @param provenance the breakglass marker on the user ({@code onPremisesExtensionAttributes.extensionAttribute15}), or null
     * @param onPremisesSyncEnabled true when the user is synchronised from on-premises (not cloud-only)
     */
    record DirectoryUser(String id, String userPrincipalName, String displayName, boolean accountEnabled,
            String passwordPolicies, Boolean onPremisesSyncEnabled, String provenance) {

        public boolean passwordNeverExpires() {
            return passwordPolicies != null && passwordPolicies.contains(EmergencyUser.DISABLE_PASSWORD_EXPIRATION);
        }
    }

    /** Everything {@code POST /users} needs; the password is held only for the one call. */
    record NewUser(String userPrincipalName, String mailNickname, String displayName, String password,
            String provenance) {

        @Override
        public String toString() {
            return "NewUser[userPrincipalName=" + userPrincipalName + ", password=***]";
        }
    }

    /** Fields to change; null means "leave alone". */
    record UserChanges(String displayName, String passwordPolicies) {
    }
}
