package dev.breakglass.steps.password;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Account;
import dev.breakglass.steps.tenant.TenantDirectory;
import dev.breakglass.steps.tenant.TenantFacts;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owns each account's password secret in Key Vault: generated here, written <em>before</em> the user
 * exists, and never overwritten. The secret is also the durable record of intent: its tags carry
 * the UPN and the provenance nonce that {@code EmergencyUser} stamps on the user, so any later run
 * (queue retry, CLI on a laptop, lost run state) recognises the account as ours.
 *
 * <p>Natural key: the secret name derived from the account key. Depends on no step (it reads the initial domain
 * itself, for the UPN it records).
 * Permissions: Key Vault Secrets Officer on the vault (set, list versions, update tags, recover).
 * Quirks: every PUT creates a new version (so "exists" must be checked first), and a soft-deleted
 * name answers 409 {@code ObjectIsDeletedButRecoverable} (https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview):
 * it is recovered, never replaced, because it may hold a live account's password.
 */
public final class EmergencyPassword implements Step {

    public static final String CONTENT_TYPE = "text/plain; breakglass emergency-access password";
    private static final Check CHECK = new Check("BG.1002",
            "Each emergency account's password is stored in Key Vault, created by breakglass");
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(5);

    private final SecretStore secrets;
    private final UserDirectory users;
    private final TenantDirectory tenant;
    private final PasswordGenerator generator;

    public EmergencyPassword(SecretStore secrets, UserDirectory users, TenantDirectory tenant,
            PasswordGenerator generator) {
        this.secrets = secrets;
        this.users = users;
        this.tenant = tenant;
        this.generator = generator;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perAccount(CHECK, new Permissions(
                Set.of("Key Vault: secrets/readMetadata", "User.Read.All"),
                Set.of("Key Vault: secrets/set", "Key Vault: secrets/update", "Key Vault: secrets/recover"))).after();
    }

    @Override
    public Observation observe(StepContext context) {
        Account account = context.requireAccount();
        Optional<SecretStore.StoredSecret> secret = AccountSecrets.find(context, secrets, account);
        if (secret.isEmpty()) {
            return new Observation.Absent("no secret " + account.secretName());
        }
        if (secret.get().deleted()) {
            return new Observation.Absent("secret " + account.secretName() + " is soft-deleted");
        }
        if (!SecretTags.isOurs(secret.get().tags())) {
            return new Observation.Drifted(List.of("secret " + account.secretName()
                    + " was not created by breakglass (no breakglass tags)"));
        }
        if (!secret.get().enabled()) {
            return new Observation.Drifted(List.of("the current version of " + account.secretName() + " is disabled"));
        }
        return new Observation.UpToDate("password stored as " + account.secretName() + " (version "
                + secret.get().version() + ")");
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Account account = context.requireAccount();
        Optional<SecretStore.StoredSecret> secret = secrets.find(account.secretName());
        if (secret.isPresent() && secret.get().deleted()) {
            AccountSecrets.forget(context, account);
            secrets.recover(account.secretName());
            return new Outcome.RequeueAfter(RECOVERY_WAIT, "recovering soft-deleted secret " + account.secretName());
        }
        if (secret.isPresent() && isCompensated(secret.get())) {
            return restore(context, account, secret.get());
        }
        if (secret.isPresent()) {
            return new Outcome.Terminal(SecretTags.isOurs(secret.get().tags()) ? "SecretDisabled" : "ForeignObjectExists",
                    observed.summary() + "; breakglass never overwrites a secret: restore it, or delete and purge it "
                            + "if no account depends on it");
        }
        String upn = account.upn(TenantFacts.initialDomain(context, tenant));
        Optional<UserDirectory.DirectoryUser> existing = users.findByUpn(upn);
        if (existing.isPresent() && !OwnedAccounts.carriesMarker(existing.get())) {
            throw OwnedAccounts.foreign(existing.get());
        }
        if (existing.isPresent()) {
            return new Outcome.Terminal("SecretMissing", "user " + upn + " exists but its password secret "
                    + account.secretName() + " does not; breakglass never resets a password silently: restore the "
                    + "secret from a backup, or rotate the password deliberately");
        }
        String password = generator.generate();
        AccountSecrets.forget(context, account);
        try {
            SecretStore.StoredSecret created = secrets.create(account.secretName(), password, CONTENT_TYPE,
                    SecretTags.pending(account, upn, newProvenanceNonce()));
            return new Outcome.Done("stored a new password as " + created.name() + " (version " + created.version() + ")");
        } catch (CloudException e) {
            if (e.hasCode("ObjectIsDeletedButRecoverable")) {
                return new Outcome.RequeueAfter(Duration.ZERO, "secret " + account.secretName() + " is soft-deleted");
            }
            throw e;
        }
    }

    /** A secret whose current version compensation disabled: every version is disabled, the best one by compensation. */
    private static boolean isCompensated(SecretStore.StoredSecret secret) {
        return !secret.enabled() && SecretTags.isOurs(secret.tags())
                && SecretTags.COMPENSATED.equals(secret.tags().get(SecretTags.STATE));
    }

    /**
     * The account was made harmless by compensation (D13): its old password stays disabled, and a new one is written
     * as a new version with the same provenance, for {@code EmergencyUser} to set and re-enable the user with.
     * Key Vault never re-enables the old version: it may have been read while the account was half-provisioned.
     */
    private Outcome restore(StepContext context, Account account, SecretStore.StoredSecret compensated) {
        Map<String, String> tags = new HashMap<>(compensated.tags());
        tags.remove(SecretTags.SUPERSEDES);
        tags.put(SecretTags.STATE, SecretTags.PENDING);
        tags.put(SecretTags.RESTORES, compensated.version());
        tags.put(SecretTags.GENERATION, Long.toString(SecretVersions.generation(compensated) + 1));
        AccountSecrets.forget(context, account);
        SecretStore.StoredSecret created = secrets.create(account.secretName(), generator.generate(), CONTENT_TYPE,
                tags);
        return new Outcome.Done("stored a new password as " + created.name() + " (version " + created.version()
                + ") replacing version " + compensated.version() + ", disabled by compensation");
    }

    private static String newProvenanceNonce() {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        return HexFormat.of().formatHex(nonce);
    }

    /** The tags that make a secret breakglass's and carry its intent. */
    public static final class SecretTags {
        public static final String MANAGED_BY = "managed-by";
        public static final String ACCOUNT = "account";
        public static final String UPN = "upn";
        public static final String PROVENANCE = "provenance";
        public static final String STATE = "state";
        public static final String USER_OBJECT_ID = "userObjectId";
        /** On a version written by a rotation: the version it replaces. */
        public static final String SUPERSEDES = "supersedes";
        /** On a version written by a rotation: 1 + the highest generation before it (none means 0). */
        public static final String GENERATION = "generation";
        /** {@link #STATE} of a version that may not hold the user's password yet. */
        public static final String PENDING = "pending";
        /** {@link #STATE} of the version that holds the user's password. */
        public static final String ACTIVE = "active";
        /** {@link #STATE} of a version a rotation replaced (and disabled). */
        public static final String SUPERSEDED = "superseded";
        /** {@link #STATE} of a version disabled by compensation (D13): its account was left half-provisioned. */
        public static final String COMPENSATED = "compensated";
        /**
         * On a version written to replace a {@link #COMPENSATED} one: the version it replaces. It tells
         * {@code EmergencyUser} that breakglass itself disabled the user, so re-enabling it is no one's incident
         * response being undone.
         */
        public static final String RESTORES = "restores";
        static final String MANAGED_BY_VALUE = "breakglass";

        private SecretTags() {
        }

        static Map<String, String> pending(Account account, String upn, String nonce) {
            return Map.of(MANAGED_BY, MANAGED_BY_VALUE, ACCOUNT, account.key(), UPN, upn, PROVENANCE, nonce,
                    STATE, PENDING);
        }

        public static boolean isOurs(Map<String, String> tags) {
            return MANAGED_BY_VALUE.equals(tags.get(MANAGED_BY)) && tags.get(PROVENANCE) != null;
        }
    }
}
