package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.testing.reliability.Covers;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.Test;

class TokenFailureClassificationTest {

    @Test
    @Covers(value = "C8", proves = "When the credential gives up getting a token (past the SDK's own retries), the "
            + "step sees a transient TokenUnavailable error without the exception's text; a service's own 401 stays "
            + "terminal")
    void aTokenThatCouldNotBeObtainedIsTransientButAServiceRefusalIsNot() {
        String endpointDetail = "https://localhost:1234/msi/token?resource=x secret-looking-text";
        CloudException timedOut = CloudErrors.translate("reading the tenant", new ClientAuthenticationException(
                endpointDetail, null, new SocketTimeoutException("timeout")));
        CloudException unavailable = CloudErrors.translate("reading the tenant",
                new CredentialUnavailableException(endpointDetail));
        CloudException refused = CloudErrors.translate("reading secret x",
                new ClientAuthenticationException("Unauthorized", new Answer401()));

        assertThat(java.util.List.of(timedOut, unavailable)).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
            assertThat(e.getMessage()).contains("no access token could be obtained").doesNotContain("secret-looking")
                    .doesNotContain("localhost");
        });
        assertThat(refused.kind()).isEqualTo(CloudException.Kind.TERMINAL);
    }

    /** A service's 401 answer, as azure-core hands it to ClientAuthenticationException. */
    private static final class Answer401 extends HttpResponse {
        Answer401() {
            super(new HttpRequest(HttpMethod.GET, "https://fake.vault.localhost/secrets/x"));
        }

        @Override
        public int getStatusCode() {
            return 401;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return null;
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders();
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
        }
    }
}
