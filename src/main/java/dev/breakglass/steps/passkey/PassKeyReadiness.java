package dev.breakglass.steps.passkey;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.SecretStore;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns each account's path to a phishing-resistant credential. Since mandatory MFA, a password alone cannot open the
 * Azure portal or the admin centers (https://learn.microsoft.com/entra/identity/authentication/concept-mandatory-multifactor-authentication),
 * so an account is ready only with a passkey (FIDO2) or a certificate binding. Until then it is
 * {@code PendingKeyRegistration}; with {@code BREAKGLASS_TAP_ENABLED}, apply issues a one-time Temporary Access Pass
 * and writes it to Key Vault beside the password (secret {@code <password secret>-tap}, expiring with the pass), so the
 * custodians can register the keys. The password method does not count and is never removed.
 *
 * <p>Natural key: the account's user; at most one Temporary Access Pass per user. Depends on {@code EmergencyUser}.
 * Permissions: {@code UserAuthenticationMethod.Read.All} to observe; {@code UserAuthenticationMethod.ReadWrite.All},
 * which can reset any account's methods, only when issuing is turned on.
 *
 * <p>Quirks: Graph returns the pass once, in the POST's answer; a POST while a pass is valid replaces it
 * (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods), which would silently
 * invalidate the pass a custodian holds, so no pass is issued while any is usable. If the Key Vault write fails the
 * new pass is deleted, since nobody could read it.
 */
public final class PassKeyReadiness implements Step {

    public static final String CONTENT_TYPE = "text/plain; breakglass temporary access pass";
    public static final String METHOD_ID_TAG = "temporaryAccessPassId";
    public static final String EXPIRES_TAG = "expiresOn";
    private static final Check CHECK = new Check("BG.1011",
            "Each emergency account has a passkey (FIDO2) or certificate for phishing-resistant sign-in");
    private static final String PENDING = "PendingKeyRegistration: no passkey (FIDO2) or certificate is registered, and "
            + "the password alone cannot open the admin portals";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AuthenticationMethods methods;
    private final SecretStore secrets;
    private final OwnedAccounts owned;
    private final boolean tapEnabled;

    /** @param tapEnabled whether apply may issue a Temporary Access Pass ({@code BREAKGLASS_TAP_ENABLED}) */
    public PassKeyReadiness(AuthenticationMethods methods, SecretStore secrets, OwnedAccounts owned, boolean tapEnabled) {
        this.methods = methods;
        this.secrets = secrets;
        this.owned = owned;
        this.tapEnabled = tapEnabled;
    }

    /** The Key Vault secret holding an account's Temporary Access Pass, beside its password. */
    public static String secretName(Account account) {
        return account.secretName() + "-tap";
    }

    @Override
    public StepInfo info() {
        // A pass is an authentication method: issuing one before Global Administrator is assigned would fail the role
        // step's integrity check (TESTS.md D5), so readiness follows the role.
        return StepInfo.perAccount(CHECK, neededPermissions()).after("GlobalAdminAssignment");
    }

    private Permissions neededPermissions() {
        Set<String> observe = Set.of("UserAuthenticationMethod.Read.All", "User.Read.All", "Key Vault: secrets/readMetadata");
        return new Permissions(observe, tapEnabled
                ? Set.of("UserAuthenticationMethod.ReadWrite.All", "Key Vault: secrets/set")
                : Set.of());
    }

    @Override
    public Observation observe(StepContext context) {
        Account account = context.requireAccount();
        Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
        if (user.isEmpty()) {
            return new Observation.Absent("the account's user does not exist yet");
        }
        List<String> ready = methods.registered(user.get().id()).phishingResistant();
        if (!ready.isEmpty()) {
            return new Observation.UpToDate("phishing-resistant sign-in ready: " + String.join(", ", ready));
        }
        Optional<AuthenticationMethods.TemporaryAccessPass> usable = usablePass(user.get().id());
        if (usable.isPresent()) {
            return new Observation.AwaitingPeople(PENDING + "; " + describe(account, usable.get()));
        }
        if (!tapEnabled) {
            return new Observation.AwaitingPeople(PENDING
                    + "; issue a Temporary Access Pass to register a key (BREAKGLASS_TAP_ENABLED is off)");
        }
        return new Observation.Drifted(List.of(PENDING + "; no usable Temporary Access Pass: apply issues one into "
                + "Key Vault as " + secretName(account)));
    }

    private String describe(Account account, AuthenticationMethods.TemporaryAccessPass pass) {
        boolean ours = secrets.find(secretName(account))
                .filter(secret -> !secret.deleted() && secret.enabled())
                .map(secret -> pass.id().equals(secret.tags().get(METHOD_ID_TAG)))
                .orElse(false);
        return ours
                ? "a one-time Temporary Access Pass is in Key Vault as " + secretName(account) + ", usable until "
                        + pass.expiresOn()
                : "a Temporary Access Pass not in breakglass's Key Vault is usable until " + pass.expiresOn()
                        + "; breakglass never replaces a valid pass";
    }

    private Optional<AuthenticationMethods.TemporaryAccessPass> usablePass(String userId) {
        return methods.temporaryAccessPasses(userId).stream().filter(AuthenticationMethods.TemporaryAccessPass::usable)
                .findFirst();
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Account account = context.requireAccount();
        Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, account);
        if (user.isEmpty()) {
            return new Outcome.RequeueAfter(WAIT, "waiting for EmergencyUser");
        }
        if (!tapEnabled) {
            return new Outcome.Done("nothing to change: " + observed.summary());
        }
        String userId = user.get().id();
        Optional<AuthenticationMethods.TemporaryAccessPass> usable = usablePass(userId);
        if (usable.isPresent()) {
            return new Outcome.Done(PENDING + "; " + describe(account, usable.get()));
        }
        AuthenticationMethods.IssuedPass issued = methods.issueTemporaryAccessPass(userId,
                context.spec().readiness().tapLifetimeMinutes());
        store(account, userId, issued);
        return new Outcome.Done(PENDING + "; issued a one-time Temporary Access Pass into Key Vault as "
                + secretName(account) + ", usable until " + issued.method().expiresOn());
    }

    private void store(Account account, String userId, AuthenticationMethods.IssuedPass issued) {
        AuthenticationMethods.TemporaryAccessPass pass = issued.method();
        try {
            secrets.create(secretName(account), issued.value(), CONTENT_TYPE, Map.of("managed-by", "breakglass",
                    "account", account.key(), METHOD_ID_TAG, pass.id(), EXPIRES_TAG, pass.expiresOn().toString()),
                    pass.expiresOn());
        } catch (CloudException failure) {
            try {
                methods.deleteTemporaryAccessPass(userId, pass.id());
            } catch (CloudException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }
}
