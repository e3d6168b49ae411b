package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphUsersContractTest {
    FakeTenant tenant;
    Wire wire;

    @BeforeEach
    void start() {
        tenant = FakeTenant.start(TenantSeed.demo());
        wire = new Wire(tenant);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void createAnswers201WithTheDefaultProjectionOnlyAndTheRecordedHeaders() {
        HttpResponse<String> response = wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).contains(GraphService.CONTENT_TYPE);
        assertThat(response.headers().firstValue("request-id")).isPresent();
        JsonNode body = Wire.json(response);
        String id = body.get("id").asText();
        assertThat(response.headers().firstValue("Location")).contains(
                tenant.armEndpoint() + "/v2/" + tenant.tenantId() + "/directoryObjects/" + id + "/Microsoft.DirectoryServices.User");
        assertThat(body.get("@odata.context").asText()).isEqualTo(tenant.graphBaseUrl() + "/$metadata#users/$entity");
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("@odata.context", "id", "businessPhones", "displayName", "givenName", "jobTitle", "mail",
                "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName");
        assertThat(tenant.state().passwordOf(id)).contains("Xw7!kq2#Lm9$");
        assertThat(tenant.state().user(id).orElseThrow().toString()).doesNotContain("Xw7!kq2#Lm9$");
    }

    @Test
    void duplicateUpnIs400ObjectConflictCaseInsensitively() {
        wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"));
        HttpResponse<String> response = wire.graph("POST", "/users", Wire.userBody("BG01@Contoso.onmicrosoft.com"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Wire.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("Request_BadRequest");
        assertThat(error.get("message").asText()).isEqualTo("Another object with the same value for property userPrincipalName already exists.");
        assertThat(error.get("details").get(0).get("code").asText()).isEqualTo("ObjectConflict");
        assertThat(error.get("details").get(0).get("target").asText()).isEqualTo("userPrincipalName");
        assertThat(error.get("innerError").has("request-id")).isTrue();
        assertThat(error.get("innerError").has("date")).isTrue();
    }

    @Test
    void createValidatesRequiredPropertiesDomainAndPassword() {
        assertThat(wire.graph("POST", "/users", Wire.userBody("bg01@notours.com")).statusCode()).isEqualTo(400);
        assertThat(wire.graph("POST", "/users", "{\"displayName\":\"x\"}").statusCode()).isEqualTo(400);
        String weak = Wire.userBody("bg02@contoso.com").replace("Xw7!kq2#Lm9$", "password");
        assertThat(Wire.json(wire.graph("POST", "/users", weak)).at("/error/message").asText()).contains("password complexity");
    }

    @Test
    void getByIdOrPercentEncodedUpnAndNotFoundMessage() {
        wire.graph("POST", "/users", Wire.userBody("$bg#01@contoso.onmicrosoft.com"));

        HttpResponse<String> byUpn = wire.graph("GET", "/users/" + q("$bg#01@contoso.onmicrosoft.com"), null);
        assertThat(byUpn.statusCode()).isEqualTo(200);
        assertThat(Wire.json(byUpn).has("accountEnabled")).isFalse();
        HttpResponse<String> byKey = wire.graph("GET", "/users('" + q("$bg#01@contoso.onmicrosoft.com") + "')?$select=accountEnabled", null);
        assertThat(Wire.json(byKey).get("accountEnabled").asBoolean()).isTrue();

        HttpResponse<String> missing = wire.graph("GET", "/users/nobody@contoso.com", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Wire.json(missing).at("/error/code").asText()).isEqualTo("Request_ResourceNotFound");
        assertThat(Wire.json(missing).at("/error/message").asText())
                .isEqualTo("Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.");
    }

    @Test
    void filterSelectAndEscaping() {
        String body = Wire.userBody("o.brien@contoso.com").replace("\"Break Glass\"", "\"O'Brien\"")
                .replace("\"accountEnabled\":true", "\"accountEnabled\":true,\"employeeType\":\"BreakGlass\","
                        + "\"onPremisesExtensionAttributes\":{\"extensionAttribute15\":\"breakglass:v1\"}");
        wire.graph("POST", "/users", body);

        JsonNode byExtension = Wire.json(wire.graph("GET", "/users?$filter=" + q("onPremisesExtensionAttributes/extensionAttribute15 eq 'breakglass:v1'")
                + "&$select=id,employeeType,onPremisesExtensionAttributes", null));
        assertThat(byExtension.get("value")).hasSize(1);
        assertThat(byExtension.at("/value/0/employeeType").asText()).isEqualTo("BreakGlass");
        assertThat(byExtension.at("/value/0/onPremisesExtensionAttributes/extensionAttribute15").asText()).isEqualTo("breakglass:v1");
        assertThat(byExtension.get("@odata.context").asText()).endsWith("$metadata#users(id,employeeType,onPremisesExtensionAttributes)");

        JsonNode escaped = Wire.json(wire.graph("GET", "/users?$filter=" + q("displayName eq 'O''Brien' and accountEnabled eq true"), null));
        assertThat(escaped.get("value")).hasSize(1);
        assertThat(escaped.at("/value/0/employeeType").isMissingNode()).isTrue();

        JsonNode byUpn = Wire.json(wire.graph("GET", "/users?$filter=" + q("userPrincipalName eq 'O.BRIEN@contoso.com'"), null));
        assertThat(byUpn.get("value")).hasSize(1);
        JsonNode none = Wire.json(wire.graph("GET", "/users?$filter=" + q("startswith(displayName,'zzz')"), null));
        assertThat(none.get("value")).isEmpty();
        assertThat(none.has("@odata.nextLink")).isFalse();

        HttpResponse<String> unsupported = wire.graph("GET", "/users?$filter=" + q("displayName ne 'x'"), null);
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(Wire.json(unsupported).at("/error/code").asText()).isEqualTo("Request_UnsupportedQuery");
    }

    @Test
    void topIsBoundedAndPagesFollowNextLinkVerbatim() {
        HttpResponse<String> tooBig = wire.graph("GET", "/users?$top=1000", null);
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(Wire.json(tooBig).at("/error/message").asText())
                .isEqualTo("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");

        tenant.pageSize(2);
        List<String> upns = new ArrayList<>();
        String next = tenant.graphBaseUrl() + "/users?$select=userPrincipalName";
        int pages = 0;
        while (next != null) {
            JsonNode page = Wire.json(wire.send("GET", next, null, tenant.accessToken()));
            page.get("value").forEach(u -> upns.add(u.get("userPrincipalName").asText()));
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            if (next != null) {
                assertThat(next).startsWith(tenant.graphBaseUrl() + "/users?").contains("$skiptoken=");
            }
            pages++;
        }
        assertThat(upns).hasSize(tenant.state().users().size()).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void patchIs204EmptyMergesAndChangesThePassword() {
        String id = Wire.json(wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"))).get("id").asText();
        String before = tenant.state().user(id).orElseThrow().get("lastPasswordChangeDateTime").asText();

        HttpResponse<String> patch = wire.graph("PATCH", "/users/" + id,
                "{\"accountEnabled\":false,\"passwordProfile\":{\"password\":\"N3w-Passw0rd!x\"},\"businessPhones\":[\"+1 555\"]}");

        assertThat(patch.statusCode()).isEqualTo(204);
        assertThat(patch.body()).isEmpty();
        JsonNode stored = tenant.state().user(id).orElseThrow();
        assertThat(stored.get("accountEnabled").asBoolean()).isFalse();
        assertThat(stored.at("/passwordProfile/forceChangePasswordNextSignIn").asBoolean(true)).isFalse();
        assertThat(stored.get("businessPhones")).hasSize(1);
        assertThat(stored.get("lastPasswordChangeDateTime").asText()).isGreaterThanOrEqualTo(before);
        assertThat(tenant.state().passwordOf(id)).contains("N3w-Passw0rd!x");
    }

    @Test
    void deleteIs204ThenNotFound() {
        String id = Wire.json(wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"))).get("id").asText();
        HttpResponse<String> delete = wire.graph("DELETE", "/users/" + id, null);
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(delete.body()).isEmpty();
        assertThat(wire.graph("DELETE", "/users/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void missingTokenIs401InvalidAuthenticationTokenAndUnknownPathsAreGraphShaped() {
        HttpResponse<String> response = wire.send("GET", tenant.graphBaseUrl() + "/users", null, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Wire.json(response).at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(wire.send("GET", tenant.graphBaseUrl() + "/users", null, "wrong").statusCode()).isEqualTo(401);

        HttpResponse<String> unknown = wire.graph("GET", "/widgets", null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Wire.json(unknown).at("/error/message").asText()).isEqualTo("Resource not found for the segment 'widgets'.");
        assertThat(wire.graph("PUT", "/users", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void domainsAndLicences() {
        JsonNode domains = Wire.json(wire.graph("GET", "/domains", null));
        assertThat(domains.get("value")).hasSize(2);
        JsonNode initial = domains.at("/value/0");
        assertThat(initial.get("id").asText()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(initial.get("isInitial").asBoolean()).isTrue();
        assertThat(initial.get("isDefault").asBoolean()).isFalse();
        assertThat(initial.get("authenticationType").asText()).isEqualTo("Managed");
        assertThat(domains.at("/value/1/isDefault").asBoolean()).isTrue();

        JsonNode skus = Wire.json(wire.graph("GET", "/subscribedSkus", null));
        assertThat(skus.at("/value/0/skuPartNumber").asText()).isEqualTo("AAD_PREMIUM_P2");
        assertThat(skus.at("/value/0/servicePlans").findValuesAsText("servicePlanName")).contains("AAD_PREMIUM", "AAD_PREMIUM_P2");
        assertThat(skus.at("/value/0/servicePlans/0/provisioningStatus").asText()).isEqualTo("Success");
    }
}
