package dev.breakglass.azure;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import dev.breakglass.steps.password.SecretStore;
import dev.breakglass.steps.password.SecretVersions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link SecretStore} on Key Vault. Observing lists version metadata only, so a verification run
 * never reads a password.
 */
final class KeyVaultSecretStore implements SecretStore {

    private final SecretClient client;

    KeyVaultSecretStore(SecretClient client) {
        this.client = client;
    }

    @Override
    public Optional<StoredSecret> find(String name) {
        List<StoredSecret> versions = versions(name);
        return versions.isEmpty() ? findDeleted(name) : SecretVersions.current(versions);
    }

    /** The SDK's paged iterable follows {@code nextLink}, so every version is listed however many rotations there were. */
    @Override
    public List<StoredSecret> versions(String name) {
        try {
            return client.listPropertiesOfSecretVersions(name).stream().map(properties -> toStored(properties, false))
                    .toList();
        } catch (ResourceNotFoundException notFound) {
            // No live secret of that name: it may still be soft-deleted.
            return List.of();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the versions of secret " + name, e);
        }
    }

    private Optional<StoredSecret> findDeleted(String name) {
        try {
            DeletedSecret deleted = client.getDeletedSecret(name);
            return Optional.of(toStored(deleted.getProperties(), true));
        } catch (ResourceNotFoundException notFound) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("reading deleted secret " + name, e);
        }
    }

    private static StoredSecret toStored(SecretProperties properties, boolean deleted) {
        Instant created = properties.getCreatedOn() == null ? null : properties.getCreatedOn().toInstant();
        return new StoredSecret(properties.getName(), properties.getVersion(),
                Boolean.TRUE.equals(properties.isEnabled()), deleted, properties.getTags(), created);
    }

    @Override
    public StoredSecret create(String name, String value, String contentType, Map<String, String> tags) {
        KeyVaultSecret secret = new KeyVaultSecret(name, value);
        secret.setProperties(new SecretProperties().setContentType(contentType).setTags(tags));
        try {
            return toStored(client.setSecret(secret).getProperties(), false);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("storing secret " + name, e);
        }
    }

    @Override
    public StoredSecret create(String name, String value, String contentType, Map<String, String> tags,
            Instant expiresOn) {
        KeyVaultSecret secret = new KeyVaultSecret(name, value);
        secret.setProperties(new SecretProperties().setContentType(contentType).setTags(tags)
                .setExpiresOn(expiresOn.atOffset(ZoneOffset.UTC)));
        try {
            return toStored(client.setSecret(secret).getProperties(), false);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("storing secret " + name, e);
        }
    }

    @Override
    public String readValue(String name, String version) {
        try {
            return client.getSecret(name, version).getValue();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("reading secret " + name, e);
        }
    }

    @Override
    public void updateTags(String name, String version, Map<String, String> tags) {
        update(name, version, properties -> properties.setTags(tags), "updating the tags of secret " + name);
    }

    @Override
    public void updateVersion(String name, String version, boolean enabled, Map<String, String> tags) {
        update(name, version, properties -> properties.setEnabled(enabled).setTags(tags),
                (enabled ? "enabling" : "disabling") + " a version of secret " + name);
    }

    /**
     * Key Vault's "Update Secret" (PATCH of one version's attributes and tags, never its value:
     * https://learn.microsoft.com/rest/api/keyvault/secrets/update-secret/update-secret). The SDK takes the
     * properties of a listed version, which carry its name and version id.
     */
    private void update(String name, String version, UnaryOperator<SecretProperties> change, String doing) {
        try {
            SecretProperties properties = client.listPropertiesOfSecretVersions(name).stream()
                    .filter(candidate -> version.equals(candidate.getVersion()))
                    .findFirst()
                    .orElseThrow(() -> new ResourceNotFoundException("version " + version + " of " + name
                            + " not found", null));
            client.updateSecretProperties(change.apply(properties));
        } catch (RuntimeException e) {
            throw CloudErrors.translate(doing, e);
        }
    }

    @Override
    public void recover(String name) {
        try {
            client.beginRecoverDeletedSecret(name);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("recovering deleted secret " + name, e);
        }
    }
}
