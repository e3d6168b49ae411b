package dev.breakglass.faketenant;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * An in-process Microsoft Entra tenant for the {@code demo} command and for tests: one HTTPS server on
 * 127.0.0.1 speaking Microsoft Graph v1.0 ({@link #graphBaseUrl()}), the Key Vault secrets data plane
 * ({@link #keyVaultUri()}) and the Azure Resource Manager monitoring APIs ({@link #armEndpoint()}: action groups,
 * scheduled query rules, Entra diagnostic settings) with the status codes, envelopes and quirks recorded in
 * {@code api-contracts/}.
 *
 * <p>The vault is addressed as {@code fake.vault.localhost} with challenge resource {@code https://vault.localhost}:
 * the Key Vault SDK accepts a challenge only when the vault host ends with "." + the resource host, and
 * {@code *.localhost} names loopback (RFC 6761), so clients keep challenge verification on. Clients must resolve
 * {@code *.localhost} to 127.0.0.1 themselves (the JDK resolver does not) and trust {@link #certificate()}.
 */
public final class FakeTenant implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;
    private final SelfSignedCertificate tls;
    private final String token;
    private final TenantState state;
    private final Settings settings = new Settings();
    private final Faults faults = new Faults();
    private final Journal journal = new Journal();
    private final int port;
    private final ManagedIdentityEndpoint managedIdentity;

    private FakeTenant(TenantSeed seed) throws IOException {
        this.tls = SelfSignedCertificate.mint();
        this.token = randomToken();
        this.state = new TenantState(seed);
        this.settings.pimLicensed = seed.hasServicePlan("AAD_PREMIUM_P2");
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.port = server.getAddress().getPort();
        this.server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        List<Service> services = List.of(
                new KeyVaultService(keyVaultUri(), keyVaultChallengeResource(), state.tenantId, state),
                new ArmService(state),
                new GraphService(armEndpoint(), state, settings));
        server.createContext("/", new Dispatcher(services, token, settings, faults, journal, state));
        this.managedIdentity = new ManagedIdentityEndpoint(armEndpoint(), token);
        server.createContext(ManagedIdentityEndpoint.PATH, managedIdentity);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-tenant-" + port);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    public static FakeTenant start(TenantSeed seed) {
        try {
            return new FakeTenant(Objects.requireNonNull(seed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake tenant", e);
        }
    }

    public String graphBaseUrl() {
        return armEndpoint() + "/v1.0";
    }

    /** The origin every non-vault API is served from; Graph lives under {@code /v1.0}. */
    public String armEndpoint() {
        return "https://localhost:" + port;
    }

    public String keyVaultUri() {
        return "https://fake.vault.localhost:" + port;
    }

    public String keyVaultChallengeResource() {
        return "https://vault.localhost";
    }

    public int port() {
        return port;
    }

    /** The one bearer token the fake accepts, random per start. */
    public String accessToken() {
        return token;
    }

    public X509Certificate certificate() {
        return tls.certificate();
    }

    /** A trust manager that trusts the fake's certificate and nothing else. */
    public X509TrustManager trustManager() {
        return tls.trustManager();
    }

    /** A client TLS context that trusts the fake's certificate and nothing else. */
    public SSLContext clientSslContext() {
        return tls.clientContext();
    }

    public String tenantId() {
        return state.tenantId;
    }

    public String initialDomain() {
        return state.initialDomain;
    }

    /** The one Azure subscription the fake serves. */
    public String subscriptionId() {
        return state.arm.subscriptionId;
    }

    /** The ARM id of the first workspace of the seed (by default {@code law-breakglass} in {@code rg-breakglass}). */
    public String workspaceId() {
        return state.arm.workspaces.values().iterator().next().id;
    }

    /** The region of {@link #workspaceId()}. */
    public String workspaceLocation() {
        return state.arm.workspaces.values().iterator().next().location;
    }

    /** The App Service-style managed identity endpoint (outside the journal: it is not Graph, Key Vault or ARM). */
    public ManagedIdentityEndpoint managedIdentity() {
        return managedIdentity;
    }

    public Journal journal() {
        return journal;
    }

    public Faults faults() {
        return faults;
    }

    public TenantState state() {
        return state;
    }

    /** Caps Graph list pages (default: $top, else 100), so tests can force {@code @odata.nextLink} paging. */
    public FakeTenant pageSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("page size must be at least 1");
        }
        settings.pageSizeCap = n;
        return this;
    }

    /**
     * Users created through {@code POST /users} stay invisible to PIM, role assignment and group-member writes for
     * this long, like Entra ID's replication delay (msgraph-sdk-dotnet #2772: tens of seconds, up to minutes).
     */
    public FakeTenant replicationLag(Duration lag) {
        settings.replicationLag = Objects.requireNonNull(lag);
        return this;
    }

    /** Overrides the licence check the seed implies (AAD_PREMIUM_P2 service plan present). */
    public FakeTenant pimLicensed(boolean licensed) {
        settings.pimLicensed = licensed;
        return this;
    }

    /** Added to every request, e.g. for benchmarks. */
    public FakeTenant latency(Duration latency) {
        settings.latency = Objects.requireNonNull(latency);
        return this;
    }

    /**
     * When on, a Conditional Access request arriving less than a second after the previous accepted one gets a 429
     * without Retry-After (https://learn.microsoft.com/graph/throttling-limits: 1 request per second per tenant).
     */
    public FakeTenant enforceConditionalAccessRateLimit(boolean enforce) {
        settings.caRateLimit = enforce;
        return this;
    }

    /**
     * Adds {@code x-ms-throttle-limit-percentage: value} to every successful Graph response (null: none), as Graph does
     * once an app has used more than 0.8 of a limit; values run from 0.8 to 1.8
     * (https://learn.microsoft.com/graph/throttling-limits#regular-responses-requests).
     */
    public FakeTenant graphThrottleLimitPercentage(String value) {
        settings.throttleLimitPercentage = value;
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "fake." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
