package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.MutableClock;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The queue signing key in the fake vault, through the real Key Vault client. */
class KeyVaultSigningKeyIT {

    private static final int INSTANCES = 4;

    @Test
    @Covers(value = "G2", proves = "Four instances that find no signing key and create it at the same moment all end "
            + "up signing with one 256-bit key, which later instances read back; it lives in the vault, not in settings")
    void instancesCreatingTheKeyAtOnceEndUpWithOneKey() throws Exception {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            SecretClient client = AzureClients.create(tenant.spec(), tenant.fake().certificate()).secrets();
            CyclicBarrier together = new CyclicBarrier(INSTANCES);
            ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
            List<Future<byte[]>> keys = IntStream.range(0, INSTANCES).mapToObj(i -> pool.submit(() -> {
                together.await();
                return new KeyVaultSigningKey(client, Clock.systemUTC()).get();
            })).toList();
            pool.shutdown();

            byte[] first = keys.get(0).get();
            assertThat(first).hasSize(32);
            for (Future<byte[]> key : keys) {
                assertThat(key.get()).isEqualTo(first);
            }
            assertThat(new KeyVaultSigningKey(client, Clock.systemUTC()).get()).as("a later instance").isEqualTo(first);
            assertThat(client.listPropertiesOfSecretVersions(KeyVaultSigningKey.NAME).stream()
                    .filter(SecretProperties::isEnabled)).isNotEmpty();
            assertThat(tenant.settings().values()).doesNotContain(Base64.getEncoder().encodeToString(first));
        }
    }

    @Test
    @Covers(value = "G2", proves = "When the vault holds two versions of the signing key (two instances created it), "
            + "every instance uses the oldest enabled one; disabling it moves every new instance to the next")
    void theOldestEnabledVersionIsTheKey() throws Exception {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            SecretClient client = AzureClients.create(tenant.spec(), tenant.fake().certificate()).secrets();
            String older = Base64.getEncoder().encodeToString(new byte[32]);
            byte[] newer = new byte[32];
            newer[0] = 1;
            SecretProperties first = client.setSecret(KeyVaultSigningKey.NAME, older).getProperties();
            Thread.sleep(1_100); // the vault's timestamps are in whole seconds
            client.setSecret(KeyVaultSigningKey.NAME, Base64.getEncoder().encodeToString(newer));

            assertThat(new KeyVaultSigningKey(client, Clock.systemUTC()).get()).isEqualTo(new byte[32]);
            assertThat(new KeyVaultSigningKey(client, Clock.systemUTC()).get()).isEqualTo(new byte[32]);

            client.updateSecretProperties(first.setEnabled(false));
            assertThat(new KeyVaultSigningKey(client, Clock.systemUTC()).get()).isEqualTo(newer);
        }
    }

    @Test
    @Covers(value = "G2", proves = "A running instance reads the key again after its re-read interval, so instances "
            + "that raced at the first start or outlived a rotation converge without a restart; when the vault cannot "
            + "be read at that moment, the instance keeps signing with the key it has")
    void aRunningInstanceMovesToTheNewKeyAfterItsRereadIntervalAndKeepsItsKeyWhileTheVaultIsDown() throws Exception {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            SecretClient client = AzureClients.create(tenant.spec(), tenant.fake().certificate()).secrets();
            MutableClock clock = new MutableClock();
            KeyVaultSigningKey instance = new KeyVaultSigningKey(client, clock);
            byte[] first = instance.get();
            Thread.sleep(1_100); // the vault's timestamps are in whole seconds
            byte[] rotated = new byte[32];
            rotated[0] = 7;
            client.setSecret(KeyVaultSigningKey.NAME, Base64.getEncoder().encodeToString(rotated));
            client.listPropertiesOfSecretVersions(KeyVaultSigningKey.NAME).stream()
                    .filter(version -> !version.getVersion().equals(client.getSecret(KeyVaultSigningKey.NAME).getProperties()
                            .getVersion()))
                    .forEach(old -> client.updateSecretProperties(old.setEnabled(false)));

            clock.advance(KeyVaultSigningKey.REREAD_AFTER.minusSeconds(1));
            assertThat(instance.get()).as("within the interval: the cached key").isEqualTo(first);

            tenant.fake().faults().on("GET", "/secrets/" + KeyVaultSigningKey.NAME + ".*").always().serverError(503);
            clock.advance(Duration.ofSeconds(1));
            assertThat(instance.get()).as("the vault is down: the key in use").isEqualTo(first);

            tenant.fake().faults().clear();
            clock.advance(KeyVaultSigningKey.REREAD_AFTER);
            assertThat(instance.get()).as("after the interval: the rotated key").isEqualTo(rotated);
        }
    }
}
