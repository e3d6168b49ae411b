package dev.breakglass.steps.password;

import dev.breakglass.reconcile.Backoff;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Sleeper;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore.StoredSecret;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rotates an emergency account's password, deliberately, on request (never on a schedule). The order
 * keeps the password recoverable whenever the rotation stops:
 * <ol>
 *   <li>write the new password as a new version of the account's secret, tagged {@code pending} and
 *       naming the version it {@code supersedes};</li>
 *   <li>set it as the user's password ({@code PATCH /users/{id}} of {@code passwordProfile});</li>
 *   <li>disable every other version (tagged {@code superseded});</li>
 *   <li>tag the new version {@code active}.</li>
 * </ol>
 * Until step 2 succeeds the old version stays enabled and holds the user's password; from then on the
 * new one does, and it is never disabled. A rotation that stopped after step 1 leaves an enabled
 * {@code pending} version: the next rotation finishes <em>that</em> one (re-sending its value, which is
 * harmless if step 2 had already happened) instead of writing another, so any number of retries ends
 * with exactly one enabled, {@code active} version whose value is the user's password.
 *
 * <p>Only users breakglass created (provenance marker, see {@link OwnedAccounts}) are rotated.
 * Permissions: Key Vault Secrets Officer (list, set, get to finish an interrupted rotation, update),
 * {@code User.ReadWrite.All} (or the narrower {@code User-PasswordProfile.ReadWrite.All}) and, because the
 * accounts are Global Administrators, the Privileged Authentication Administrator role
 * (https://learn.microsoft.com/graph/api/user-update#permissions).
 */
public final class PasswordRotation {

    private static final int MAX_ATTEMPTS = 5;
    private static final Duration MAX_IN_PROCESS_WAIT = Duration.ofSeconds(30);

    private final SecretStore secrets;
    private final UserDirectory users;
    private final OwnedAccounts owned;
    private final PasswordGenerator generator;
    private final Sleeper sleeper;
    private final Backoff backoff;

    public PasswordRotation(SecretStore secrets, UserDirectory users, OwnedAccounts owned, PasswordGenerator generator,
            Sleeper sleeper, Backoff backoff) {
        this.secrets = secrets;
        this.users = users;
        this.owned = owned;
        this.generator = generator;
        this.sleeper = sleeper;
        this.backoff = backoff;
    }

    public Permissions permissions() {
        return new Permissions(Set.of("User.Read.All", "Key Vault: secrets/readMetadata"),
                Set.of("User.ReadWrite.All", "Privileged Authentication Administrator", "Key Vault: secrets/set",
                        "Key Vault: secrets/get", "Key Vault: secrets/update"));
    }

    /**
     * Rotates the password of {@code context}'s account, retrying transient failures in-process while the
     * wait is short. Every attempt re-reads the vault, so a retry after any failure is safe.
     *
     * @throws CloudException terminal ({@code AccountNotProvisioned}, {@code AccountDisabled}, {@code ForeignObjectExists},
     *                        {@code SecretMissing}, a refusal by Graph or Key Vault) or transient when the
     *                        services stayed unavailable; the caller may simply try again later
     */
    public Rotated rotate(StepContext context) {
        for (int attempt = 1; ; attempt++) {
            try {
                return rotateOnce(context);
            } catch (CloudException failure) {
                Duration wait = failure.retryAfter().orElseGet(() -> backoff.delay(1));
                if (failure.kind() == CloudException.Kind.TERMINAL || attempt >= MAX_ATTEMPTS
                        || wait.compareTo(MAX_IN_PROCESS_WAIT) > 0) {
                    throw failure;
                }
                sleeper.sleep(failure.retryAfter().isPresent() ? wait : backoff.delay(attempt));
            }
        }
    }

    private Rotated rotateOnce(StepContext context) {
        Account account = context.requireAccount();
        String name = account.secretName();
        UserDirectory.DirectoryUser user = owned.findOwned(context, account).orElseThrow(() -> CloudException.terminal(
                "AccountNotProvisioned", "user " + owned.upn(context, account) + " does not exist; run apply first"));
        if (!user.accountEnabled()) {
            // Disabled by compensation (a canceled or failed run) or by someone else: a new password would not make
            // it usable, and a provisioning run restores a compensated account with a password of its own.
            throw CloudException.terminal("AccountDisabled", "user " + user.userPrincipalName() + " is disabled: "
                    + "if a canceled or failed run disabled it, run provisioning to restore it; otherwise find out who "
                    + "disabled it before enabling it");
        }
        List<StoredSecret> versions = secrets.versions(name);
        StoredSecret current = SecretVersions.current(versions).filter(version -> SecretTags.isOurs(version.tags()))
                .orElseThrow(() -> CloudException.terminal("SecretMissing", "secret " + name
                        + " has no version written by breakglass"));
        Optional<StoredSecret> interrupted = SecretVersions.interruptedRotation(versions);
        StoredSecret target;
        String password;
        if (interrupted.isPresent()) {
            target = interrupted.get();
            password = secrets.readValue(name, target.version());
        } else {
            password = generator.generate();
            target = secrets.create(name, password, EmergencyPassword.CONTENT_TYPE, pendingTags(current, versions, user));
        }
        users.resetPassword(user.id(), password);
        List<String> disabled = new ArrayList<>();
        for (StoredSecret other : versions) {
            if (other.enabled() && !other.version().equals(target.version())) {
                secrets.updateVersion(name, other.version(), false, withState(other.tags(), SecretTags.SUPERSEDED));
                disabled.add(other.version());
            }
        }
        secrets.updateVersion(name, target.version(), true, withState(target.tags(), SecretTags.ACTIVE));
        return new Rotated(account.key(), user.userPrincipalName(), user.id(), target.version(),
                SecretVersions.generation(target), List.copyOf(disabled), interrupted.isPresent());
    }

    private static Map<String, String> pendingTags(StoredSecret current, List<StoredSecret> versions,
            UserDirectory.DirectoryUser user) {
        long generation = 1 + versions.stream().mapToLong(SecretVersions::generation).max().orElse(0);
        Map<String, String> tags = withState(current.tags(), SecretTags.PENDING);
        tags.put(SecretTags.SUPERSEDES, current.version());
        tags.put(SecretTags.GENERATION, Long.toString(generation));
        tags.put(SecretTags.USER_OBJECT_ID, user.id());
        return tags;
    }

    private static Map<String, String> withState(Map<String, String> tags, String state) {
        Map<String, String> changed = new HashMap<>(tags);
        changed.put(SecretTags.STATE, state);
        return changed;
    }

    /**
     * What a rotation did; never the password.
     *
     * @param version    the version now active
     * @param disabled   the versions this rotation disabled
     * @param resumed    true when it finished a rotation that had stopped after writing its version
     */
    public record Rotated(String account, String userPrincipalName, String userId, String version, long generation,
            List<String> disabled, boolean resumed) {
    }
}
