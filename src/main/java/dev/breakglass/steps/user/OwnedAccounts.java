package dev.breakglass.steps.user;

import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore;
import dev.breakglass.steps.tenant.TenantDirectory;
import dev.breakglass.steps.tenant.TenantFacts;
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

    private final UserDirectory users;
    private final SecretStore secrets;
    private final TenantDirectory tenant;

    public OwnedAccounts(UserDirectory users, SecretStore secrets, TenantDirectory tenant) {
        this.users = users;
        this.secrets = secrets;
        this.tenant = tenant;
    }

    public String upn(StepContext context, Account account) {
        return account.upn(TenantFacts.of(context, tenant).initialDomain());
    }

    /** The account's user and whether it is ours; empty when no user has the UPN. */
    public Optional<Found> find(StepContext context, Account account) {
        return users.findByUpn(upn(context, account)).map(user -> new Found(user, isOurs(user, account)));
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

    /** The marker to stamp on a new user: taken from the secret written by {@code EmergencyPassword}. */
    Optional<String> expectedMarker(Account account) {
        return secrets.find(account.secretName())
                .filter(secret -> !secret.deleted() && SecretTags.isOurs(secret.tags()))
                .map(secret -> MARKER_PREFIX + secret.tags().get(SecretTags.PROVENANCE));
    }

    private boolean isOurs(UserDirectory.DirectoryUser user, Account account) {
        return user.provenance() != null && expectedMarker(account).map(user.provenance()::equals).orElse(false);
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
