package dev.breakglass.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.resourcemanager.monitor.MonitorManager;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.Credentials;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * Builds the Microsoft SDK clients once per process (Graph, Key Vault, and ARM for monitoring), the same way for
 * Azure, a national cloud and
 * the embedded fake tenant: only the endpoints, the credential and (for the fake) one trusted
 * certificate differ.
 *
 * <p>Two things are pinned so that no environment variable can change them: HTTP logging is off
 * ({@code HttpLogOptions} reads {@code AZURE_HTTP_LOG_DETAIL_LEVEL} when left to its default, and a
 * body log would contain the password), and the SDKs' own retries are off, because Kiota and
 * azure-core sleep for whatever Retry-After says, inside the call. {@code StepRunner} retries
 * instead, with a cap, and hands long waits to the queue.
 */
public final class AzureClients {

    /** How long a managed identity token request may take before it counts as failed (and is retried). */
    static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(5);

    private final GraphServiceClient graph;
    private final SecretClient secrets;
    private final MonitorManager monitor;
    private final CallCounter counter;
    private final String graphBaseUrl;

    private AzureClients(GraphServiceClient graph, SecretClient secrets, MonitorManager monitor, CallCounter counter,
            String graphBaseUrl) {
        this.graph = graph;
        this.secrets = secrets;
        this.monitor = monitor;
        this.counter = counter;
        this.graphBaseUrl = graphBaseUrl;
    }

    /**
     * @param extraTrust a certificate to trust besides the JVM's trust store (the fake tenant's), or null
     */
    public static AzureClients create(BreakGlassSpec spec, X509Certificate extraTrust) {
        CallCounter counter = new CallCounter();
        TokenCredential credential = credential(spec, counter, extraTrust);
        return new AzureClients(graph(spec, credential, counter, extraTrust),
                secrets(spec, credential, counter, extraTrust), monitor(spec, credential, counter, extraTrust), counter,
                spec.endpoints().graph().toString());
    }

    /**
     * The managed identity's token requests go through the same OkHttp setup as every other client (so a corporate
     * trust store, or the fake tenant's certificate, applies to them too), with a short answer timeout: the endpoint is
     * local to the host, and a hung request must fail fast so that the step is retried, not the whole invocation spent.
     */
    static TokenCredential credential(BreakGlassSpec spec, CallCounter counter, X509Certificate extraTrust) {
        Credentials credentials = spec.credentials();
        HttpLogOptions noLogging = new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE);
        switch (credentials.mode()) {
            case STATIC_TOKEN:
                return new StaticTokenCredential(credentials.staticToken());
            case MANAGED_IDENTITY: {
                // The timeouts go on azure-core's builder: its build() replaces the OkHttp client's own read timeout.
                OkHttpClient tokens = HttpClients.configure(new OkHttpClient.Builder(), counter, extraTrust).build();
                ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpLogOptions(noLogging)
                        .httpClient(new OkHttpAsyncHttpClientBuilder(tokens).readTimeout(TOKEN_TIMEOUT)
                                .responseTimeout(TOKEN_TIMEOUT).build());
                if (credentials.managedIdentityClientId() != null) {
                    builder.clientId(credentials.managedIdentityClientId());
                }
                return builder.build();
            }
            default: {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder()
                        .tenantId(spec.tenantId()).httpLogOptions(noLogging);
                if (credentials.managedIdentityClientId() != null) {
                    builder.managedIdentityClientId(credentials.managedIdentityClientId());
                }
                return builder.build();
            }
        }
    }

    private static GraphServiceClient graph(BreakGlassSpec spec, TokenCredential credential, CallCounter counter,
            X509Certificate extraTrust) {
        RetryHandlerOption noRetries = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);
        OkHttpClient okHttp = HttpClients.configure(GraphClientFactory.create(new RequestOption[] {noRetries}),
                counter, extraTrust).addInterceptor(new GraphPressure(Clock.systemUTC())).build();
        String host = spec.endpoints().graph().getHost();
        AzureIdentityAuthenticationProvider auth = new AzureIdentityAuthenticationProvider(credential,
                new String[] {host}, spec.endpoints().graphScope());
        GraphServiceClient client = new GraphServiceClient(auth, okHttp);
        client.getRequestAdapter().setBaseUrl(spec.endpoints().graph().toString());
        return client;
    }

    private static SecretClient secrets(BreakGlassSpec spec, TokenCredential credential, CallCounter counter,
            X509Certificate extraTrust) {
        OkHttpClient okHttp = HttpClients.configure(new OkHttpClient.Builder(), counter, extraTrust).build();
        HttpClient httpClient = new OkHttpAsyncHttpClientBuilder(okHttp).build();
        return new SecretClientBuilder()
                .vaultUrl(spec.keyVaultUri().toString())
                .credential(credential)
                .httpClient(httpClient)
                .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE))
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .buildClient();
    }

    /**
     * ARM for the monitoring resources, only when monitoring is configured (its subscription comes from the
     * workspace or resource group setting). The resource manager endpoint is the configured one, so the same
     * client serves Azure, a national cloud and the fake tenant.
     */
    private static MonitorManager monitor(BreakGlassSpec spec, TokenCredential credential, CallCounter counter,
            X509Certificate extraTrust) {
        if (spec.monitoring() == null) {
            return null;
        }
        String arm = spec.endpoints().resourceManager().toString();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put(AzureEnvironment.Endpoint.RESOURCE_MANAGER.identifier(), arm);
        AzureProfile profile = new AzureProfile(spec.tenantId(), spec.monitoring().subscriptionId(),
                new AzureEnvironment(endpoints));
        OkHttpClient okHttp = HttpClients.configure(new OkHttpClient.Builder(), counter, extraTrust).build();
        return MonitorManager.configure()
                .withHttpClient(new OkHttpAsyncHttpClientBuilder(okHttp).build())
                .withLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE))
                .withRetryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .withScope(arm + "/.default")
                .authenticate(credential, profile);
    }

    public GraphServiceClient graph() {
        return graph;
    }

    public SecretClient secrets() {
        return secrets;
    }

    /**
     * The ARM client for the monitoring resources.
     *
     * @throws IllegalStateException when no workspace is configured (the monitoring steps skip before calling)
     */
    public MonitorManager monitor() {
        if (monitor == null) {
            throw new IllegalStateException("monitoring is not configured");
        }
        return monitor;
    }

    public CallCounter counter() {
        return counter;
    }

    /** The Graph base URL, for {@code @odata.id} references. */
    public String graphBaseUrl() {
        return graphBaseUrl;
    }
}
