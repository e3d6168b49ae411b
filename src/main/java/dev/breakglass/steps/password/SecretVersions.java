package dev.breakglass.steps.password;

import dev.breakglass.steps.password.EmergencyPassword.SecretTags;
import dev.breakglass.steps.password.SecretStore.StoredSecret;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a secret's versions is the account's password. Key Vault keeps {@code created} in whole
 * seconds (https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret-versions/get-secret-versions),
 * and a rotation writes its version within the same second as the one it replaces often enough, so the
 * creation time alone cannot tell them apart. The tags can: an enabled version before a disabled one,
 * {@code active} before {@code pending} before anything else, a higher rotation {@code generation} before
 * a lower one, and only then the creation time and, last, the version id, so that the same list always
 * gives the same answer.
 */
public final class SecretVersions {

    /** Best first. */
    static final Comparator<StoredSecret> BEST_FIRST = Comparator
            .comparing((StoredSecret version) -> version.enabled()).reversed()
            .thenComparing(Comparator.comparingInt(SecretVersions::stateRank).reversed())
            .thenComparing(Comparator.comparingLong(SecretVersions::generation).reversed())
            .thenComparing(StoredSecret::createdOn, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(StoredSecret::version, Comparator.nullsLast(Comparator.<String>reverseOrder()));

    private SecretVersions() {
    }

    /** The version breakglass treats as the account's password; empty for no versions. */
    public static Optional<StoredSecret> current(List<StoredSecret> versions) {
        return versions.stream().min(BEST_FIRST);
    }

    /**
     * A rotation that wrote its version and then stopped (crash, lost response, throttling): an enabled
     * {@code pending} version that names the version it supersedes. Its value may already be the user's
     * password, so the next rotation finishes it instead of writing another.
     */
    public static Optional<StoredSecret> interruptedRotation(List<StoredSecret> versions) {
        return versions.stream()
                .filter(StoredSecret::enabled)
                .filter(version -> SecretTags.PENDING.equals(version.tags().get(SecretTags.STATE)))
                .filter(version -> version.tags().containsKey(SecretTags.SUPERSEDES))
                .min(BEST_FIRST);
    }

    /** The {@code generation} tag, 0 when absent or not a number (the first password has none). */
    public static long generation(StoredSecret version) {
        try {
            return Long.parseLong(version.tags().getOrDefault(SecretTags.GENERATION, "0"));
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    private static int stateRank(StoredSecret version) {
        String state = version.tags().get(SecretTags.STATE);
        if (SecretTags.ACTIVE.equals(state)) {
            return 2;
        }
        return SecretTags.PENDING.equals(state) ? 1 : 0;
    }
}
