package dev.breakglass.azure;

import com.microsoft.graph.models.OnPremisesExtensionAttributes;
import com.microsoft.graph.models.PasswordProfile;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.steps.user.UserDirectory;
import java.util.Optional;

/**
 * {@link UserDirectory} on Microsoft Graph. Every request body is a fresh model: the SDK's models
 * track changes, and serialising a model a second time sends only what changed since.
 */
final class GraphUserDirectory implements UserDirectory {

    /** {@code accountEnabled} and the extension attributes are not in the default projection. */
    private static final String[] SELECT = {"id", "userPrincipalName", "displayName", "accountEnabled",
        "passwordPolicies", "onPremisesSyncEnabled", "onPremisesExtensionAttributes"};

    private final GraphServiceClient graph;

    GraphUserDirectory(GraphServiceClient graph) {
        this.graph = graph;
    }

    @Override
    public Optional<DirectoryUser> findByUpn(String upn) {
        try {
            User user = graph.users().byUserId(upn).get(request -> request.queryParameters.select = SELECT);
            return Optional.of(toDirectoryUser(user));
        } catch (ODataError e) {
            if (e.getResponseStatusCode() == 404) {
                return Optional.empty();
            }
            throw CloudErrors.translate("reading user " + upn, e);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("reading user " + upn, e);
        }
    }

    private static DirectoryUser toDirectoryUser(User user) {
        OnPremisesExtensionAttributes extensions = user.getOnPremisesExtensionAttributes();
        return new DirectoryUser(user.getId(), user.getUserPrincipalName(), user.getDisplayName(),
                Boolean.TRUE.equals(user.getAccountEnabled()), user.getPasswordPolicies(),
                user.getOnPremisesSyncEnabled(), extensions == null ? null : extensions.getExtensionAttribute15());
    }

    @Override
    public String create(NewUser newUser) {
        User user = new User();
        user.setAccountEnabled(true);
        user.setUserPrincipalName(newUser.userPrincipalName());
        user.setMailNickname(newUser.mailNickname());
        user.setDisplayName(newUser.displayName());
        user.setPasswordPolicies(dev.breakglass.steps.user.EmergencyUser.DISABLE_PASSWORD_EXPIRATION);
        PasswordProfile password = new PasswordProfile();
        password.setPassword(newUser.password());
        password.setForceChangePasswordNextSignIn(false);
        user.setPasswordProfile(password);
        OnPremisesExtensionAttributes marker = new OnPremisesExtensionAttributes();
        marker.setExtensionAttribute15(newUser.provenance());
        user.setOnPremisesExtensionAttributes(marker);
        try {
            return graph.users().post(user).getId();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("creating emergency user " + newUser.userPrincipalName(), e);
        }
    }

    @Override
    public void update(String userId, UserChanges changes) {
        User patch = new User();
        if (changes.displayName() != null) {
            patch.setDisplayName(changes.displayName());
        }
        if (changes.passwordPolicies() != null) {
            patch.setPasswordPolicies(changes.passwordPolicies());
        }
        try {
            graph.users().byUserId(userId).patch(patch);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("updating emergency user " + userId, e);
        }
    }

    @Override
    public void resetPassword(String userId, String password) {
        User patch = new User();
        PasswordProfile profile = new PasswordProfile();
        profile.setPassword(password);
        profile.setForceChangePasswordNextSignIn(false);
        patch.setPasswordProfile(profile);
        try {
            graph.users().byUserId(userId).patch(patch);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("resetting the password of emergency user " + userId, e);
        }
    }

    /**
     * {@code accountEnabled} alone: the app's {@code User.ReadWrite.All} suffices for a user without an administrator
     * role (https://learn.microsoft.com/graph/api/user-update#permissions), which is the only kind compensation disables.
     */
    @Override
    public void setEnabled(String userId, boolean enabled) {
        User patch = new User();
        patch.setAccountEnabled(enabled);
        try {
            graph.users().byUserId(userId).patch(patch);
        } catch (RuntimeException e) {
            throw CloudErrors.translate((enabled ? "enabling" : "disabling") + " emergency user " + userId, e);
        }
    }
}
