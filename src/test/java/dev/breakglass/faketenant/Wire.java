package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A raw HTTP client for contract tests: trusts only the fake's certificate, sends the fake's token unless told not to. */
final class Wire {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final FakeTenant tenant;
    private final HttpClient client;

    Wire(FakeTenant tenant) {
        this.tenant = tenant;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tenant.clientSslContext()).build();
    }

    HttpResponse<String> graph(String method, String pathAndQuery, String body) {
        return send(method, tenant.graphBaseUrl() + pathAndQuery, body, tenant.accessToken());
    }

    /** The vault's paths on the loopback name the JDK can resolve (the fake routes Key Vault by path). */
    HttpResponse<String> vault(String method, String pathAndQuery, String body) {
        return send(method, tenant.armEndpoint() + pathAndQuery, body, tenant.accessToken());
    }

    /** Azure Resource Manager paths, e.g. {@code /providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01}. */
    HttpResponse<String> arm(String method, String pathAndQuery, String body) {
        return send(method, tenant.armEndpoint() + pathAndQuery, body, tenant.accessToken());
    }

    HttpResponse<String> send(String method, String url, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String userBody(String upn) {
        return "{\"accountEnabled\":true,\"displayName\":\"Break Glass\",\"mailNickname\":\"" + upn.substring(0, upn.indexOf('@'))
                + "\",\"userPrincipalName\":\"" + upn + "\",\"passwordProfile\":{\"password\":\"Xw7!kq2#Lm9$\",\"forceChangePasswordNextSignIn\":false}}";
    }
}
