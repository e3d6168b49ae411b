package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyVaultContractTest {
    static final String V = "?api-version=7.6";

    FakeTenant tenant;
    Wire wire;

    @BeforeEach
    void start() {
        tenant = FakeTenant.start(TenantSeed.minimal());
        wire = new Wire(tenant);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    JsonNode put(String name, String body) {
        HttpResponse<String> response = wire.vault("PUT", "/secrets/" + name + V, body);
        assertThat(response.statusCode()).isEqualTo(200);
        return Wire.json(response);
    }

    @Test
    void tokenlessRequestsGetTheChallenge() {
        HttpResponse<String> response = wire.send("PUT", tenant.armEndpoint() + "/secrets/x" + V, "", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains(
                "Bearer authorization=\"https://login.microsoftonline.com/" + tenant.tenantId() + "\", resource=\"https://vault.localhost\"");
        assertThat(Wire.json(response).at("/error/code").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void everyPutIs200AndANewVersionWithUnixSecondAttributes() {
        JsonNode first = put("bg01", "{\"value\":\"a\",\"contentType\":\"text/plain\",\"tags\":{\"upn\":\"bg01@x\"}}");
        JsonNode second = put("bg01", "{\"value\":\"a\"}");

        assertThat(first.get("id").asText()).matches("https://fake\\.vault\\.localhost:\\d+/secrets/bg01/[0-9a-f]{32}");
        assertThat(second.get("id").asText()).isNotEqualTo(first.get("id").asText());
        assertThat(first.at("/attributes/created").isIntegralNumber()).isTrue();
        assertThat(first.at("/attributes/recoveryLevel").asText()).isEqualTo("Recoverable+Purgeable");
        assertThat(first.at("/tags/upn").asText()).isEqualTo("bg01@x");
        assertThat(tenant.state().secretVersions("bg01")).hasSize(2);
        assertThat(wire.vault("PUT", "/secrets/bad_name" + V, "{\"value\":\"a\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void getLatestOrAVersionAndNotFound() {
        JsonNode first = put("bg01", "{\"value\":\"one\"}");
        put("bg01", "{\"value\":\"two\"}");
        String version = first.get("id").asText().substring(first.get("id").asText().lastIndexOf('/') + 1);

        assertThat(Wire.json(wire.vault("GET", "/secrets/bg01/" + V, null)).get("value").asText()).isEqualTo("two");
        assertThat(Wire.json(wire.vault("GET", "/secrets/bg01" + V, null)).get("value").asText()).isEqualTo("two");
        assertThat(Wire.json(wire.vault("GET", "/secrets/bg01/" + version + V, null)).get("value").asText()).isEqualTo("one");
        HttpResponse<String> missing = wire.vault("GET", "/secrets/nope" + V, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Wire.json(missing).at("/error/code").asText()).isEqualTo("SecretNotFound");
    }

    @Test
    void disabledVersionsAre403SecretDisabled() {
        String id = put("bg01", "{\"value\":\"one\"}").get("id").asText();
        String version = id.substring(id.lastIndexOf('/') + 1);
        HttpResponse<String> patch = wire.vault("PATCH", "/secrets/bg01/" + version + V, "{\"attributes\":{\"enabled\":false},\"tags\":{\"a\":\"b\"}}");
        assertThat(patch.statusCode()).isEqualTo(200);
        assertThat(Wire.json(patch).has("value")).isFalse();
        assertThat(Wire.json(patch).at("/attributes/enabled").asBoolean()).isFalse();

        HttpResponse<String> get = wire.vault("GET", "/secrets/bg01/" + version + V, null);
        assertThat(get.statusCode()).isEqualTo(403);
        assertThat(Wire.json(get).at("/error/code").asText()).isEqualTo("Forbidden");
        assertThat(Wire.json(get).at("/error/innererror/code").asText()).isEqualTo("SecretDisabled");
    }

    @Test
    void listsCarryNoValueAndPageWithNextLink() {
        for (int i = 0; i < 3; i++) {
            put("s" + i, "{\"value\":\"v\"}");
            put("s0", "{\"value\":\"v\"}");
        }
        JsonNode page = Wire.json(wire.vault("GET", "/secrets" + V + "&maxresults=2", null));
        assertThat(page.get("value")).hasSize(2);
        assertThat(page.at("/value/0/value").isMissingNode()).isTrue();
        assertThat(page.at("/value/0/id").asText()).endsWith("/secrets/s0");
        String next = page.get("nextLink").asText();
        assertThat(next).startsWith(tenant.keyVaultUri() + "/secrets?");
        JsonNode last = Wire.json(wire.send("GET", next.replace(tenant.keyVaultUri(), tenant.armEndpoint()), null, tenant.accessToken()));
        assertThat(last.get("value")).hasSize(1);
        assertThat(last.get("nextLink").isNull()).isTrue();

        JsonNode versions = Wire.json(wire.vault("GET", "/secrets/s0/versions" + V, null));
        assertThat(versions.get("value")).hasSize(4);
        assertThat(versions.at("/value/0/id").asText()).matches(".*/secrets/s0/[0-9a-f]{32}");
    }

    @Test
    void softDeleteBlocksTheNameUntilRecovered() {
        put("bg01", "{\"value\":\"one\"}");
        HttpResponse<String> delete = wire.vault("DELETE", "/secrets/bg01" + V, null);
        assertThat(delete.statusCode()).isEqualTo(200);
        JsonNode deleted = Wire.json(delete);
        assertThat(deleted.get("recoveryId").asText()).isEqualTo(tenant.keyVaultUri() + "/deletedsecrets/bg01");
        assertThat(deleted.get("scheduledPurgeDate").asLong() - deleted.get("deletedDate").asLong()).isEqualTo(90L * 24 * 3600);

        HttpResponse<String> conflict = wire.vault("PUT", "/secrets/bg01" + V, "{\"value\":\"two\"}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(Wire.json(conflict).at("/error/code").asText()).isEqualTo("Conflict");
        assertThat(Wire.json(conflict).at("/error/innererror/code").asText()).isEqualTo("ObjectIsDeletedButRecoverable");
        assertThat(wire.vault("GET", "/secrets/bg01" + V, null).statusCode()).isEqualTo(404);
        assertThat(wire.vault("GET", "/deletedsecrets/bg01" + V, null).statusCode()).isEqualTo(200);

        assertThat(wire.vault("POST", "/deletedsecrets/bg01/recover" + V, null).statusCode()).isEqualTo(200);
        assertThat(Wire.json(wire.vault("GET", "/secrets/bg01" + V, null)).get("value").asText()).isEqualTo("one");

        tenant.state().deleteSecret("bg01");
        assertThat(tenant.state().secretIsDeleted("bg01")).isTrue();
        assertThat(wire.vault("DELETE", "/deletedsecrets/bg01" + V, null).statusCode()).isEqualTo(204);
        assertThat(wire.vault("PUT", "/secrets/bg01" + V, "{\"value\":\"three\"}").statusCode()).isEqualTo(200);
    }
}
