package dev.breakglass.steps.compensation;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore;
import dev.breakglass.steps.role.GlobalAdminAssignment;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * D13: makes an account a canceled or failed run left half-provisioned harmless. Its user exists but is not yet
 * Global Administrator, and its password sits in Key Vault: the user is disabled ({@code accountEnabled=false}) and
 * every enabled version of its secret is disabled and tagged {@code compensated}, so that nobody signs in to an
 * account no one watches yet. The next provisioning run writes a new password and re-enables the user. Only an
 * account the run itself set up (its current password was written during the run) is compensated.
 *
 * <p>Never touches a user without breakglass's provenance marker ({@link OwnedAccounts}), and never an account
 * that holds Global Administrator: disabling an emergency account is the kind of lock-out it exists to prevent, so
 * that is left to people (the run's result says so). It is not a step of the workflow (nothing plans or verifies
 * it), but it follows the step contract, so a run drives it as one unit of work per account: observe never writes,
 * apply is safe to repeat, and a worker dying mid-way leaves a message that finishes it.
 */
public final class AccountCompensation implements Step {

    /** The unit of work's name in queue messages and run conditions. */
    public static final String NAME = "Compensate";
    /**
     * Key Vault stamps a version's creation in whole seconds by its own clock
     * (https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret-versions/get-secret-versions): a version the
     * run wrote may look a little older than the run.
     */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Check CHECK = new Check("BG.1003",
            "A half-provisioned emergency account is disabled, and its password too, until a run completes it");

    private final UserDirectory users;
    private final SecretStore secrets;
    private final OwnedAccounts owned;
    private final GlobalAdminAssignment globalAdmin;
    private final Instant runStarted;

    /**
     * @param runStarted when the run being compensated started: an account whose password is older existed before
     *                   the run (an account that lost Global Administrator, say) and is left as it was
     */
    public AccountCompensation(UserDirectory users, SecretStore secrets, OwnedAccounts owned,
            GlobalAdminAssignment globalAdmin, Instant runStarted) {
        this.users = users;
        this.secrets = secrets;
        this.owned = owned;
        this.globalAdmin = globalAdmin;
        this.runStarted = runStarted;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perAccount(CHECK, new Permissions(
                Set.of("User.Read.All", "RoleAssignmentSchedule.Read.Directory", "Key Vault: secrets/readMetadata"),
                Set.of("User.ReadWrite.All", "Key Vault: secrets/update")));
    }

    @Override
    public Observation observe(StepContext context) {
        Account account = context.requireAccount();
        Optional<OwnedAccounts.Found> found = owned.find(context, account);
        if (found.isEmpty()) {
            return new Observation.UpToDate("no user " + owned.upn(context, account) + ": nothing to compensate");
        }
        UserDirectory.DirectoryUser user = found.get().user();
        if (!found.get().ours()) {
            return new Observation.UpToDate("user " + user.userPrincipalName() + " was not created by breakglass: "
                    + "left untouched");
        }
        Optional<Instant> passwordSetOn = owned.passwordSetOn(context, account);
        if (passwordSetOn.isPresent() && passwordSetOn.get().isBefore(runStarted.minus(CLOCK_SKEW))) {
            return new Observation.UpToDate("user " + user.userPrincipalName() + " existed before this run (password "
                    + "set " + passwordSetOn.get() + "): left as it was");
        }
        if (globalAdmin.assigned(user.id())) {
            return new Observation.UpToDate("user " + user.userPrincipalName() + " is already Global Administrator: "
                    + "not disabled automatically; if it must not stay, follow the README's runbook (section "
                    + "'Canceling a run')");
        }
        List<String> live = new ArrayList<>();
        if (user.accountEnabled()) {
            live.add("user " + user.userPrincipalName() + " is enabled");
        }
        enabledVersions(account).forEach(version -> live.add("version " + version.version() + " of "
                + account.secretName() + " is enabled"));
        return live.isEmpty()
                ? new Observation.UpToDate("user " + user.userPrincipalName() + " and its password are disabled")
                : new Observation.Drifted(live);
    }

    /** Disables the user first (that alone makes the account harmless), then its password versions. */
    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Account account = context.requireAccount();
        UserDirectory.DirectoryUser user = owned.findOwned(context, account)
                .orElseThrow(() -> new IllegalStateException("user vanished between observe and apply"));
        List<String> done = new ArrayList<>();
        if (user.accountEnabled()) {
            owned.forget(context, account);
            users.setEnabled(user.id(), false);
            done.add("disabled user " + user.userPrincipalName());
        }
        List<String> versions = new ArrayList<>();
        for (SecretStore.StoredSecret version : enabledVersions(account)) {
            Map<String, String> tags = new HashMap<>(version.tags());
            tags.put(SecretTags.STATE, SecretTags.COMPENSATED);
            secrets.updateVersion(account.secretName(), version.version(), false, tags);
            versions.add(version.version());
        }
        if (!versions.isEmpty()) {
            done.add("disabled version(s) " + String.join(", ", versions) + " of " + account.secretName());
        }
        return new Outcome.Done(done.isEmpty() ? "already disabled" : String.join("; ", done));
    }

    private List<SecretStore.StoredSecret> enabledVersions(Account account) {
        return secrets.versions(account.secretName()).stream().filter(SecretStore.StoredSecret::enabled).toList();
    }
}
