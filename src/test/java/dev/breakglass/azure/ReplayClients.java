package dev.breakglass.azure;

import dev.breakglass.faketenant.ReplayServer;
import dev.breakglass.spec.Setting;
import dev.breakglass.spec.SpecLoader;
import java.util.Map;

/**
 * The production {@link AzureClients} pointed at a {@link ReplayServer}: only the endpoints, a static token and the
 * trusted certificate differ from Azure, as against the fake tenant. The recordings' own hosts, subscription and
 * tenant are kept, so recorded ids and links stay meaningful once their origins are rewritten.
 */
final class ReplayClients {

    /** The vault of the Key Vault recording, under {@code *.vault.localhost} (the certificate's name for vaults). */
    static final String VAULT_HOST = "cli-test-kv-se-sd-000002.vault.localhost";
    /** The subscription every ARM recording uses (scrubbed by azure-cli's test framework). */
    static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
    /** The tenant of the recordings (the Location header of POST /users names it). */
    static final String TENANT = "54826b22-38d6-4fb2-bad9-b7b93a3e9c5a";

    private ReplayClients() {
    }

    /** Also registers the rewrites from the recorded origins to the replay server's. */
    static AzureClients against(ReplayServer server) {
        String origin = server.origin("localhost");
        server.rewrite("https://graph.microsoft.com", origin)
                .rewrite("https://management.azure.com", origin)
                .rewrite("https://cli-test-kv-se-sd-000002.vault.azure.net", server.origin(VAULT_HOST))
                // The Key Vault SDK accepts a challenge only if the vault host ends with "." + the resource's host.
                .rewrite("resource=\"https://vault.azure.net\"", "resource=\"https://vault.localhost\"");
        Map<String, String> settings = Map.of(
                Setting.TENANT_ID.key(), TENANT,
                Setting.KEY_VAULT_URI.key(), server.origin(VAULT_HOST),
                Setting.GRAPH_ENDPOINT.key(), origin + "/v1.0",
                Setting.ARM_ENDPOINT.key(), origin,
                Setting.CREDENTIAL.key(), "static-token",
                Setting.STATIC_TOKEN.key(), "replay-token",
                Setting.LOG_ANALYTICS_WORKSPACE_ID.key(), "/subscriptions/" + SUBSCRIPTION
                        + "/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-replay",
                Setting.ALERT_LOCATION.key(), "eastus",
                Setting.ALERT_EMAILS.key(), "soc@example.com");
        return AzureClients.create(SpecLoader.load(settings), server.certificate());
    }
}
