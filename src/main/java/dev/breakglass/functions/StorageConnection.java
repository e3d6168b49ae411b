package dev.breakglass.functions;

import com.azure.core.http.HttpClient;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.breakglass.spec.SpecValidationException;
import java.util.List;
import java.util.Map;

/**
 * The storage account of the run table and the step queue, read from the same settings the Functions host reads for
 * its queue triggers: either a connection string in {@code AzureWebJobsStorage} (Azurite, local runs) or an
 * identity-based connection, {@code AzureWebJobsStorage__queueServiceUri} and {@code __tableServiceUri} with
 * {@code __credential=managedidentity} and {@code __clientId} of a user-assigned identity, which is what
 * {@code infra/} deploys so that the account needs no shared key
 * (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
 *
 * @param connectionString the connection string, or null for an identity-based connection
 * @param queueServiceUri  the queue endpoint of an identity-based connection
 * @param tableServiceUri  the table endpoint of an identity-based connection
 * @param clientId         the user-assigned identity's client id, or null for the system-assigned one
 */
record StorageConnection(String connectionString, String queueServiceUri, String tableServiceUri, String clientId) {

    static final String NAME = "AzureWebJobsStorage";
    static final String QUEUE_SERVICE_URI = NAME + "__queueServiceUri";
    static final String TABLE_SERVICE_URI = NAME + "__tableServiceUri";
    static final String CREDENTIAL = NAME + "__credential";
    static final String CLIENT_ID = NAME + "__clientId";

    /** The connection the settings describe; fails naming the settings when there is none. */
    static StorageConnection fromSettings(Map<String, String> settings) {
        String connectionString = settings.get(NAME);
        if (present(connectionString)) {
            return new StorageConnection(connectionString, null, null, null);
        }
        String queues = settings.get(QUEUE_SERVICE_URI);
        String tables = settings.get(TABLE_SERVICE_URI);
        if (present(queues) && present(tables)) {
            String credential = settings.get(CREDENTIAL);
            if (present(credential) && !"managedidentity".equalsIgnoreCase(credential.trim())) {
                throw new SpecValidationException(List.of(CREDENTIAL + " must be 'managedidentity' (the only credential "
                        + "the app uses for its storage account)"));
            }
            String clientId = settings.get(CLIENT_ID);
            return new StorageConnection(null, queues.trim(), tables.trim(), present(clientId) ? clientId.trim() : null);
        }
        throw new SpecValidationException(List.of(NAME + " is required (the storage account for runs and queues): a "
                + "connection string, or " + QUEUE_SERVICE_URI + " and " + TABLE_SERVICE_URI + " with a managed identity"));
    }

    boolean identityBased() {
        return connectionString == null;
    }

    TableClient table(String name, HttpClient http) {
        TableClientBuilder builder = new TableClientBuilder().tableName(name).httpClient(http);
        return identityBased()
                ? builder.endpoint(tableServiceUri).credential(credential(http)).buildClient()
                : builder.connectionString(connectionString).buildClient();
    }

    /** Base64 messages: the encoding {@code host.json} tells the queue trigger to expect. */
    QueueClient queue(String name, HttpClient http) {
        QueueClientBuilder builder = new QueueClientBuilder().queueName(name).messageEncoding(QueueMessageEncoding.BASE64)
                .httpClient(http);
        return identityBased()
                ? builder.endpoint(queueServiceUri).credential(credential(http)).buildClient()
                : builder.connectionString(connectionString).buildClient();
    }

    private com.azure.core.credential.TokenCredential credential(HttpClient http) {
        ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpClient(http);
        return clientId == null ? builder.build() : builder.clientId(clientId).build();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
