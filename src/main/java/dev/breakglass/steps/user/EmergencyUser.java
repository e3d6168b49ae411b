package dev.breakglass.steps.user;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.AccountSecrets;
import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns each emergency account's user: cloud-only, on the initial {@code *.onmicrosoft.com} domain,
 * enabled, password never expires, stamped with the provenance marker.
 *
 * <p>Natural key: the UPN, recorded in the Key Vault secret's tags before the POST. Depends on
 * {@code EmergencyPassword} (the password and the marker come from its secret). Permissions:
 * {@code User.Read.All} to observe, {@code User.ReadWrite.All} to create.
 *
 * <p>Quirks: {@code POST /users} is not idempotent and a duplicate UPN is {@code 400} with
 * {@code details[].code == "ObjectConflict"}, not 409
 * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1508). After a lost response the
 * user may already exist: it is re-read and adopted only when its marker matches.
 */
public final class EmergencyUser implements Step {

    public static final String DISABLE_PASSWORD_EXPIRATION = "DisablePasswordExpiration";
    private static final Check CHECK = new Check("BG.1003",
            "Each emergency account is an enabled cloud-only user on the onmicrosoft.com domain, created by breakglass");
    private static final Duration WAIT_FOR_PASSWORD = Duration.ofSeconds(5);

    private final UserDirectory users;
    private final SecretStore secrets;
    private final OwnedAccounts owned;

    public EmergencyUser(UserDirectory users, SecretStore secrets, OwnedAccounts owned) {
        this.users = users;
        this.secrets = secrets;
        this.owned = owned;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perAccount(CHECK, new Permissions(
                Set.of("User.Read.All", "Key Vault: secrets/readMetadata"),
                Set.of("User.ReadWrite.All", "Key Vault: secrets/get", "Key Vault: secrets/update")))
                .after("EmergencyPassword");
    }

    @Override
    public Observation observe(StepContext context) {
        Account account = context.requireAccount();
        Optional<OwnedAccounts.Found> found = owned.find(context, account);
        if (found.isEmpty()) {
            return new Observation.Absent("no user " + owned.upn(context, account));
        }
        UserDirectory.DirectoryUser user = found.get().user();
        if (!found.get().ours()) {
            return new Observation.Drifted(List.of("user " + user.userPrincipalName()
                    + " exists but was not created by breakglass (no matching provenance marker)"));
        }
        List<String> differences = differences(account, user);
        Optional<SecretStore.StoredSecret> secret = AccountSecrets.find(context, secrets, account);
        if (secret.isPresent() && !user.id().equals(secret.get().tags().get(SecretTags.USER_OBJECT_ID))) {
            differences.add("secret " + account.secretName() + " does not yet record user " + user.id());
        } else if (secret.isPresent() && restoresCompensated(secret.get())) {
            differences.add("the new password of " + account.secretName() + " is not yet recorded as the user's");
        }
        return differences.isEmpty()
                ? new Observation.UpToDate("user " + user.userPrincipalName() + " (" + user.id() + ")")
                : new Observation.Drifted(differences);
    }

    private static List<String> differences(Account account, UserDirectory.DirectoryUser user) {
        List<String> differences = new ArrayList<>();
        if (!user.accountEnabled()) {
            differences.add("user " + user.userPrincipalName() + " is disabled");
        }
        if (Boolean.TRUE.equals(user.onPremisesSyncEnabled())) {
            differences.add("user " + user.userPrincipalName() + " is synchronised from on-premises, not cloud-only");
        }
        if (!user.passwordNeverExpires()) {
            differences.add("password policies are '" + user.passwordPolicies() + "', not " + DISABLE_PASSWORD_EXPIRATION);
        }
        if (!account.displayName().equals(user.displayName())) {
            differences.add("display name is '" + user.displayName() + "', not '" + account.displayName() + "'");
        }
        return differences;
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Account account = context.requireAccount();
        if (observed instanceof Observation.Absent) {
            return create(context, account);
        }
        UserDirectory.DirectoryUser user = owned.findOwned(context, account)
                .orElseThrow(() -> new IllegalStateException("user vanished between observe and apply"));
        return repair(context, account, user);
    }

    private Outcome create(StepContext context, Account account) {
        Optional<SecretStore.StoredSecret> secret = secrets.find(account.secretName())
                .filter(found -> !found.deleted() && SecretTags.isOurs(found.tags()));
        if (secret.isEmpty()) {
            return new Outcome.RequeueAfter(WAIT_FOR_PASSWORD, "waiting for EmergencyPassword to store "
                    + account.secretName());
        }
        String upn = owned.upn(context, account);
        String marker = OwnedAccounts.MARKER_PREFIX + secret.get().tags().get(SecretTags.PROVENANCE);
        try {
            String password = secrets.readValue(account.secretName(), secret.get().version());
            owned.forget(context, account);
            users.create(new UserDirectory.NewUser(upn, account.key(), account.displayName(), password, marker));
        } catch (CloudException e) {
            if (!e.hasCode("ObjectConflict")) {
                throw e;
            }
            // A create whose response was lost (or a concurrent worker) got there first: adopt only our own.
            owned.findOwned(context, account).orElseThrow(() -> e);
        }
        UserDirectory.DirectoryUser user = owned.findOwned(context, account).orElse(null);
        if (user == null) {
            return new Outcome.RequeueAfter(WAIT_FOR_PASSWORD, "user " + upn + " not readable yet after creation");
        }
        recordUserInSecret(context, account, secret.get(), user.id());
        return new Outcome.Done("created user " + upn + " (" + user.id() + ")");
    }

    private Outcome repair(StepContext context, Account account, UserDirectory.DirectoryUser user) {
        Optional<SecretStore.StoredSecret> restoring = secrets.find(account.secretName())
                .filter(EmergencyUser::restoresCompensated);
        if (!user.accountEnabled() && restoring.isPresent()) {
            return reenable(context, account, user, restoring.get());
        }
        String displayName = account.displayName().equals(user.displayName()) ? null : account.displayName();
        String policies = user.passwordNeverExpires() ? null : DISABLE_PASSWORD_EXPIRATION;
        if (displayName != null || policies != null) {
            owned.forget(context, account);
            users.update(user.id(), new UserDirectory.UserChanges(displayName, policies));
        }
        secrets.find(account.secretName())
                .filter(secret -> !user.id().equals(secret.tags().get(SecretTags.USER_OBJECT_ID))
                        || restoresCompensated(secret))
                .ifPresent(secret -> recordUserInSecret(context, account, secret, user.id()));
        if (!user.accountEnabled()) {
            // Someone disabled an emergency account: that may be incident response, so it is reported, not undone.
            return new Outcome.Done("user " + user.userPrincipalName() + " is disabled and was left disabled: "
                    + "re-enable it deliberately if that was not intended");
        }
        return new Outcome.Done("repaired user " + user.userPrincipalName());
    }

    /**
     * Compensation disabled this user and its password (D13), and {@code EmergencyPassword} has since written a new
     * password: set it, then enable the user. Only breakglass's own disabling is undone this way (the new version
     * names the compensated one); a user someone else disabled stays disabled. A retry after a crash sets the same
     * password again, and the password change is newer than the version, which the D5 integrity check expects.
     */
    private Outcome reenable(StepContext context, Account account, UserDirectory.DirectoryUser user,
            SecretStore.StoredSecret secret) {
        String password = secrets.readValue(account.secretName(), secret.version());
        owned.forget(context, account);
        users.resetPassword(user.id(), password);
        users.setEnabled(user.id(), true);
        recordUserInSecret(context, account, secret, user.id());
        return new Outcome.Done("re-enabled user " + user.userPrincipalName() + " with a new password (version "
                + secret.version() + ") after compensation had disabled it");
    }

    /** An enabled version written to replace one compensation disabled, not yet recorded as the user's password. */
    private static boolean restoresCompensated(SecretStore.StoredSecret secret) {
        return secret.enabled() && secret.tags().containsKey(SecretTags.RESTORES)
                && SecretTags.PENDING.equals(secret.tags().get(SecretTags.STATE));
    }

    private void recordUserInSecret(StepContext context, Account account, SecretStore.StoredSecret secret,
            String userId) {
        AccountSecrets.forget(context, account);
        Map<String, String> tags = new HashMap<>(secret.tags());
        tags.put(SecretTags.STATE, SecretTags.ACTIVE);
        tags.put(SecretTags.USER_OBJECT_ID, userId);
        secrets.updateTags(account.secretName(), secret.version(), tags);
    }
}
