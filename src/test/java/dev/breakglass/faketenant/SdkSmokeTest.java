package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.PasswordProfile;
import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The real SDK clients against the fake: Graph SDK v6 (Kiota, OkHttp) and SecretClient with challenge verification on. */
class SdkSmokeTest {
    static FakeTenant tenant;

    @BeforeAll
    static void start() {
        tenant = FakeTenant.start(TenantSeed.demo());
    }

    @AfterAll
    static void stop() {
        tenant.close();
    }

    /** Resolves {@code *.localhost} to loopback (RFC 6761), which the JDK resolver does not do. */
    static final Dns LOCALHOST_DNS = hostname -> {
        if (hostname.equals("localhost") || hostname.endsWith(".localhost")) {
            return List.of(InetAddress.getByAddress(hostname, new byte[] {127, 0, 0, 1}));
        }
        throw new UnknownHostException(hostname);
    };

    @Test
    void graphServiceClientCreatesAndReadsAUser() {
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return tenant.accessToken();
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("localhost");
            }
        };
        OkHttpClient http = GraphClientFactory.create()
                .sslSocketFactory(tenant.clientSslContext().getSocketFactory(), tenant.trustManager())
                .dns(LOCALHOST_DNS)
                .build();
        GraphServiceClient graph = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http);
        graph.getRequestAdapter().setBaseUrl(tenant.graphBaseUrl());

        User user = new User();
        user.setAccountEnabled(true);
        user.setDisplayName("Emergency access 01");
        user.setMailNickname("bg01");
        user.setUserPrincipalName("bg01@" + tenant.initialDomain());
        PasswordProfile password = new PasswordProfile();
        password.setPassword("Xw7!kq2#Lm9$-long");
        password.setForceChangePasswordNextSignIn(false);
        user.setPasswordProfile(password);
        User created = graph.users().post(user);

        assertThat(created.getId()).isNotBlank();
        assertThat(created.getAccountEnabled()).isNull();
        User read = graph.users().byUserId(created.getId())
                .get(config -> config.queryParameters.select = new String[] {"id", "userPrincipalName", "accountEnabled"});
        assertThat(read.getUserPrincipalName()).isEqualTo("bg01@contoso.onmicrosoft.com");
        assertThat(read.getAccountEnabled()).isTrue();
        assertThat(tenant.state().passwordOf(created.getId())).contains("Xw7!kq2#Lm9$-long");
    }

    @Test
    void secretClientSetsAndReadsASecretWithChallengeVerificationOn() {
        TokenCredential credential = request -> Mono.just(new AccessToken(tenant.accessToken(), OffsetDateTime.now().plusHours(1)));
        OkHttpClient http = new OkHttpClient.Builder()
                .sslSocketFactory(tenant.clientSslContext().getSocketFactory(), tenant.trustManager())
                .dns(LOCALHOST_DNS)
                .build();
        SecretClient secrets = new SecretClientBuilder()
                .vaultUrl(tenant.keyVaultUri())
                .credential(credential)
                .httpClient(new OkHttpAsyncHttpClientBuilder(http).build())
                .buildClient();

        KeyVaultSecret set = secrets.setSecret("bg01-password", "s3cret-Value");
        KeyVaultSecret read = secrets.getSecret("bg01-password");

        assertThat(read.getValue()).isEqualTo("s3cret-Value");
        assertThat(read.getProperties().getVersion()).isEqualTo(set.getProperties().getVersion()).hasSize(32);
        assertThat(read.getId()).startsWith(tenant.keyVaultUri() + "/secrets/bg01-password/");
        // The SDK's first request is the token-less probe that earns the challenge.
        assertThat(tenant.journal().entries().stream().filter(e -> e.path().startsWith("/secrets")).findFirst().orElseThrow().status())
                .isEqualTo(401);
    }
}
