package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Key Vault secrets with versions and soft delete. Not thread-safe: callers hold {@link TenantState}'s lock. */
final class SecretStore {
    /** Soft delete keeps a secret recoverable for 90 days by default (recoverableDays in the recording). */
    static final long RETENTION_SECONDS = 90L * 24 * 3600;

    static final class Version {
        final String version;
        final String value;
        final long created;
        String contentType;
        ObjectNode tags;
        boolean enabled = true;
        Long notBefore;
        Long expires;
        long updated;

        Version(String version, String value, long created) {
            this.version = version;
            this.value = value;
            this.created = created;
            this.updated = created;
        }
    }

    static final class Secret {
        final String name;
        final Map<String, Version> versions = new LinkedHashMap<>();
        long deletedDate;

        Secret(String name) {
            this.name = name;
        }

        Version latest() {
            Version latest = null;
            for (Version v : versions.values()) {
                latest = v;
            }
            return latest;
        }
    }

    /** Keyed by lower-cased name: Key Vault names are case-insensitive. */
    final Map<String, Secret> active = new LinkedHashMap<>();
    final Map<String, Secret> deleted = new LinkedHashMap<>();

    Secret active(String name) {
        return active.get(name.toLowerCase(Locale.ROOT));
    }

    Secret deleted(String name) {
        return deleted.get(name.toLowerCase(Locale.ROOT));
    }

    Version add(String name, String version, String value, long now) {
        Secret secret = active.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new Secret(name));
        Version created = new Version(version, value, now);
        secret.versions.put(version, created);
        return created;
    }

    Secret softDelete(String name, long now) {
        Secret secret = active.remove(name.toLowerCase(Locale.ROOT));
        if (secret != null) {
            secret.deletedDate = now;
            deleted.put(name.toLowerCase(Locale.ROOT), secret);
        }
        return secret;
    }

    List<Secret> activeSecrets() {
        return new ArrayList<>(active.values());
    }
}
