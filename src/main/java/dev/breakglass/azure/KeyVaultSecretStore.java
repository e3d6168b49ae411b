package dev.breakglass.azure;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import dev.breakglass.steps.password.SecretStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

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
        try {
            Optional<SecretProperties> newest = client.listPropertiesOfSecretVersions(name).stream()
                    .max(Comparator.comparing(SecretProperties::getCreatedOn,
                            Comparator.nullsFirst(Comparator.naturalOrder())));
            if (newest.isPresent()) {
                return newest.map(properties -> toStored(properties, false));
            }
        } catch (ResourceNotFoundException notFound) {
            // No live secret of that name: it may still be soft-deleted.
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the versions of secret " + name, e);
        }
        return findDeleted(name);
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
        try {
            SecretProperties properties = client.listPropertiesOfSecretVersions(name).stream()
                    .filter(candidate -> version.equals(candidate.getVersion()))
                    .findFirst()
                    .orElseThrow(() -> new ResourceNotFoundException("version " + version + " of " + name
                            + " not found", null));
            client.updateSecretProperties(properties.setTags(tags));
        } catch (RuntimeException e) {
            throw CloudErrors.translate("updating the tags of secret " + name, e);
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
