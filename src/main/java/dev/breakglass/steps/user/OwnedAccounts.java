package dev.breakglass.steps.user;

import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.AccountSecrets;
import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore;
import dev.breakglass.steps.tenant.TenantDirectory;
import dev.breakglass.steps.tenant.TenantFacts;
import java.time.Instant;
import java.util.Optional;

/**
 * The trust boundary: finds an account's user and says whether breakglass created it. A user
 * counts as ours only when its provenance marker equals the nonce in our Key Vault secret's tags.
 * Anyone who can create users can pre-create {@code bg01@…} hoping we adopt it and make it Global
 * Administrator; they cannot read our vault, so they cannot forge the marker.
 */
public final class OwnedAccounts {

    /** The marker's prefix; the rest is the secret's provenance nonce. */
    static final String MARKER_PREFIX = "breakglass:";
    private static final String USER_KEY = "user:";

    private final UserDirectory users;
    private final SecretStore secrets;
    private final TenantDirectory tenant;

    public OwnedAccounts(UserDirectory users, SecretStore secrets, TenantDirectory tenant) {
        this.users = users;
        this.secrets = secrets;
        this.tenant = tenant;
    }

    public String upn(StepContext context, Account account) {
        return account.upn(TenantFacts.initialDomain(context, tenant));
    }

    /** The account's user and whether it is ours; empty when no user has the UPN. Read once per run. */
    public Optional<Found> find(StepContext context, Account account) {
        String upn = upn(context, account);
        Optional<UserDirectory.DirectoryUser> user = context.reads().remember(USER_KEY + upn,
                () -> users.findByUpn(upn));
        return user.map(found -> new Found(found, isOurs(context, found, account)));
    }

    /** Drops the account's user read in this run: called before a write to it. */
    public void forget(StepContext context, Account account) {
        context.reads().forget(USER_KEY + upn(context, account));
    }

    /**
     * The account's user when it exists and is ours; empty when it does not exist yet.
     *
     * @throws CloudException terminal {@code ForeignObjectExists} when a user we did not create holds the UPN
     */
    public Optional<UserDirectory.DirectoryUser> findOwned(StepContext context, Account account) {
        Optional<Found> found = find(context, account);
        if (found.isPresent() && !found.get().ours()) {
            throw foreign(found.get().user());
        }
        return found.map(Found::user);
    }

    /**
     * When breakglass last set the account's password: the creation of the secret version it holds now (a rotation
     * writes its version before it resets the user's password).
     */
    public Optional<Instant> passwordSetOn(StepContext context, Account account) {
        return AccountSecrets.find(context, secrets, account).filter(secret -> !secret.deleted())
                .map(SecretStore.StoredSecret::createdOn);
    }

    /** The marker to stamp on a new user: taken from the secret written by {@code EmergencyPassword}. */
    private Optional<String> expectedMarker(StepContext context, Account account) {
        return AccountSecrets.find(context, secrets, account)
                .filter(secret -> !secret.deleted() && SecretTags.isOurs(secret.tags()))
                .map(secret -> MARKER_PREFIX + secret.tags().get(SecretTags.PROVENANCE));
    }

    private boolean isOurs(StepContext context, UserDirectory.DirectoryUser user, Account account) {
        return user.provenance() != null && expectedMarker(context, account).map(user.provenance()::equals).orElse(false);
    }

    /**
     * Whether the user carries a breakglass marker at all, whatever its nonce. A user without one was
     * certainly not created by breakglass; one with a marker may be ours (if its secret was lost) or a forgery,
     * which only the secret can tell apart.
     */
    public static boolean carriesMarker(UserDirectory.DirectoryUser user) {
        return user.provenance() != null && user.provenance().startsWith(MARKER_PREFIX);
    }

    /** The terminal failure for a user breakglass did not create that holds an account's UPN. */
    public static CloudException foreign(UserDirectory.DirectoryUser user) {
        return CloudException.terminal("ForeignObjectExists", "user " + user.userPrincipalName() + " (" + user.id()
                + ") exists but was not created by breakglass; it is never adopted, because whoever created it "
                + "may know its password. Investigate it, then delete it or choose another BREAKGLASS_UPN_PREFIX");
    }

    /** A user holding an account's UPN, and whether breakglass created it. */
    public record Found(UserDirectory.DirectoryUser user, boolean ours) {
    }
}
