package dev.breakglass.azure;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The key that signs queue messages and run records ({@code runs.Signatures}), kept in the vault as a secret and
 * never in app settings, so that write access to storage alone cannot forge a message. Created by the app on first
 * use: 256 bits from {@link SecureRandom}. The key in use is always the <b>oldest enabled version</b>: two instances
 * that find no secret and both create one end up with two versions, and both then re-read and pick the same one.
 * Rotating means adding a version and disabling the old one (messages in flight then fail verification and are
 * re-sent by the supervisor). Cached per instance and read again every {@link #REREAD_AFTER}: instances that raced at
 * the first start, or outlived a rotation, converge on the same key without a restart; a vault that cannot be read
 * then keeps the key in use rather than stopping every step.
 */
final class KeyVaultSigningKey implements Supplier<byte[]> {

    /** Not {@code breakglass-<x>}: that is the shape of an account's password secret ({@code Account.secretName}). */
    static final String NAME = "queue-signing-key-breakglass";
    static final Duration REREAD_AFTER = Duration.ofMinutes(10);
    private static final int KEY_BYTES = 32;
    private static final Comparator<SecretProperties> OLDEST_FIRST = Comparator
            .comparing(SecretProperties::getCreatedOn, Comparator.nullsLast(Comparator.<OffsetDateTime>naturalOrder()))
            .thenComparing(SecretProperties::getVersion);

    private final SecretClient client;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Cached cached;

    KeyVaultSigningKey(SecretClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    private record Cached(byte[] key, Instant readAt) {
    }

    @Override
    public byte[] get() {
        Cached current = cached;
        if (current == null || isStale(current)) {
            synchronized (this) {
                if (cached == null) {
                    cached = new Cached(load(), clock.instant());
                } else if (isStale(cached)) {
                    cached = reread(cached);
                }
                current = cached;
            }
        }
        return current.key().clone();
    }

    private boolean isStale(Cached key) {
        return !clock.instant().isBefore(key.readAt().plus(REREAD_AFTER));
    }

    private Cached reread(Cached stale) {
        try {
            return new Cached(load(), clock.instant());
        } catch (RuntimeException vaultUnavailable) {
            return new Cached(stale.key(), clock.instant());
        }
    }

    /**
     * Vault failures propagate as the SDK's own exceptions ({@code AzureException}): the step function then fails and
     * the host redelivers the message, and {@code POST /api/provision} answers 503 as for a storage outage.
     */
    private byte[] load() {
        Optional<SecretProperties> oldest = oldestEnabled();
        if (oldest.isEmpty()) {
            create();
            oldest = oldestEnabled();
        }
        String version = oldest.orElseThrow(() -> new IllegalStateException("secret " + NAME
                + " has no enabled version right after it was written")).getVersion();
        return Base64.getDecoder().decode(client.getSecret(NAME, version).getValue());
    }

    /** Version metadata only; expired or not-yet-valid versions are not used either. */
    private Optional<SecretProperties> oldestEnabled() {
        try {
            OffsetDateTime now = OffsetDateTime.now();
            return client.listPropertiesOfSecretVersions(NAME).stream()
                    .filter(properties -> Boolean.TRUE.equals(properties.isEnabled()))
                    .filter(properties -> properties.getExpiresOn() == null || properties.getExpiresOn().isAfter(now))
                    .filter(properties -> properties.getNotBefore() == null || !properties.getNotBefore().isAfter(now))
                    .min(OLDEST_FIRST);
        } catch (ResourceNotFoundException absent) {
            return Optional.empty();
        }
    }

    private void create() {
        byte[] fresh = new byte[KEY_BYTES];
        random.nextBytes(fresh);
        KeyVaultSecret secret = new KeyVaultSecret(NAME, Base64.getEncoder().encodeToString(fresh));
        secret.getProperties().setContentType("application/octet-stream; base64")
                .setTags(Map.of("managed-by", "breakglass", "purpose", "hmac-sha256 of queue messages and run records"));
        client.setSecret(secret);
    }
}
