package dev.breakglass.steps.password;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Key Vault secrets breakglass keeps, one per account, addressed by name. */
public interface SecretStore {

    /**
     * The current version's metadata (never its value, chosen by {@link SecretVersions#current}), the
     * secret's soft-deleted state, or empty when no secret of that name exists.
     */
    Optional<StoredSecret> find(String name);

    /** Every version's metadata (never a value), all pages; empty when no live secret has that name. */
    List<StoredSecret> versions(String name);

    /**
     * Writes a new version (the first one creates the secret). Key Vault answers 409 for a soft-deleted
     * name.
     */
    StoredSecret create(String name, String value, String contentType, Map<String, String> tags);

    /**
     * Writes a new version that Key Vault itself marks as expiring ({@code attributes.exp}): for a credential that
     * stops working at {@code expiresOn}, such as a Temporary Access Pass.
     */
    StoredSecret create(String name, String value, String contentType, Map<String, String> tags, Instant expiresOn);

    /**
     * Reads one version's value. Only {@code EmergencyUser} calls this, to create the user or to re-enable it after
     * compensation, and a rotation finishing an interrupted one.
     */
    String readValue(String name, String version);

    /** Replaces the tags of one version (Key Vault PATCH; the value is untouched). */
    void updateTags(String name, String version, Map<String, String> tags);

    /** Enables or disables one version and replaces its tags in one Key Vault PATCH; the value is untouched. */
    void updateVersion(String name, String version, boolean enabled, Map<String, String> tags);

    /** Starts recovering a soft-deleted secret; it becomes readable again a few seconds later. */
    void recover(String name);

    /**
     * @param version  the 32-hex version id
     * @param enabled  whether that version can be read
     * @param deleted  true when the secret is soft-deleted (the other fields then describe the deleted secret)
     */
    record StoredSecret(String name, String version, boolean enabled, boolean deleted, Map<String, String> tags,
            Instant createdOn) {

        public StoredSecret {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }
}
