package dev.breakglass.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/**
 * A fixed bearer token, for non-public endpoints only (the spec refuses it for public-cloud hosts):
 * the embedded fake tenant, a test endpoint, or a token minted elsewhere for a one-off run.
 */
final class StaticTokenCredential implements TokenCredential {

    private final String token;

    StaticTokenCredential(String token) {
        this.token = token;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }

    @Override
    public String toString() {
        return "StaticTokenCredential[***]";
    }
}
