package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.spec.SpecValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host-storage settings: a connection string locally, an identity-based connection as infra/ deploys it. */
class StorageConnectionTest {

    private static final Map<String, String> IDENTITY_BASED = Map.of(
            "AzureWebJobsStorage__queueServiceUri", "https://stbg.queue.core.windows.net",
            "AzureWebJobsStorage__tableServiceUri", "https://stbg.table.core.windows.net",
            "AzureWebJobsStorage__credential", "managedidentity",
            "AzureWebJobsStorage__clientId", "11111111-2222-3333-4444-555555555555");

    @Test
    void aConnectionStringIsUsedAsIs() {
        StorageConnection connection = StorageConnection.fromSettings(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        assertThat(connection.identityBased()).isFalse();
        assertThat(connection.connectionString()).isEqualTo("UseDevelopmentStorage=true");
    }

    @Test
    void theIdentityBasedSettingsThatInfraDeploysNameTheEndpointsAndTheUserAssignedIdentity() {
        StorageConnection connection = StorageConnection.fromSettings(IDENTITY_BASED);

        assertThat(connection.identityBased()).isTrue();
        assertThat(connection.queueServiceUri()).isEqualTo("https://stbg.queue.core.windows.net");
        assertThat(connection.tableServiceUri()).isEqualTo("https://stbg.table.core.windows.net");
        assertThat(connection.clientId()).isEqualTo("11111111-2222-3333-4444-555555555555");
    }

    @Test
    void withoutEitherFormTheErrorNamesBoth() {
        assertThatThrownBy(() -> StorageConnection.fromSettings(Map.of("AzureWebJobsStorage__queueServiceUri", "https://q")))
                .isInstanceOf(SpecValidationException.class)
                .hasMessageContaining("AzureWebJobsStorage is required")
                .hasMessageContaining("AzureWebJobsStorage__tableServiceUri");
    }

    @Test
    void aCredentialOtherThanManagedIdentityIsRefused() {
        var settings = new java.util.HashMap<>(IDENTITY_BASED);
        settings.put("AzureWebJobsStorage__credential", "clientsecret");

        assertThatThrownBy(() -> StorageConnection.fromSettings(settings)).isInstanceOf(SpecValidationException.class)
                .hasMessageContaining("AzureWebJobsStorage__credential must be 'managedidentity'");
    }
}
