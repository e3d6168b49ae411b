package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire shapes of the fake's authentication methods, Temporary Access Passes, signInActivity and What If, as the
 * Microsoft Learn pages cited in {@link AuthenticationMethodsApi}, {@link UsersApi} and {@link WhatIfEvaluator} show them.
 */
class AuthenticationMethodsContractTest {
    FakeTenant tenant;
    Wire wire;
    String userId;

    @BeforeEach
    void start() {
        tenant = FakeTenant.start(TenantSeed.demo());
        wire = new Wire(tenant);
        userId = Wire.json(wire.graph("POST", "/users", Wire.userBody("bg01@contoso.onmicrosoft.com"))).get("id").asText();
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void everyUserHasThePasswordMethodUnderItsWellKnownIdAndNoValue() {
        JsonNode methods = Wire.json(wire.graph("GET", "/users/" + userId + "/authentication/methods", null)).get("value");

        assertThat(methods).hasSize(1);
        assertThat(methods.get(0).get("@odata.type").asText()).isEqualTo("#microsoft.graph.passwordAuthenticationMethod");
        assertThat(methods.get(0).get("id").asText()).isEqualTo("28c10230-6103-485e-b985-444c60001490");
        assertThat(methods.get(0).get("password").isNull()).isTrue();
    }

    @Test
    void aPassIsAnsweredOnceOnCreateAndNeverOnRead() {
        HttpResponse<String> created = wire.graph("POST", "/users/" + userId + "/authentication/temporaryAccessPassMethods",
                "{\"lifetimeInMinutes\":60,\"isUsableOnce\":true}");
        JsonNode pass = Wire.json(created);
        JsonNode listed = Wire.json(wire.graph("GET", "/users/" + userId + "/authentication/temporaryAccessPassMethods", null))
                .get("value").get(0);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(pass.get("temporaryAccessPass").asText()).isNotBlank();
        assertThat(pass.get("isUsable").asBoolean()).isTrue();
        assertThat(pass.get("methodUsabilityReason").asText()).isEqualTo("EnabledByPolicy");
        assertThat(listed.get("id")).isEqualTo(pass.get("id"));
        assertThat(listed.get("temporaryAccessPass").isNull()).isTrue();
        assertThat(listed.get("lifetimeInMinutes").asInt()).isEqualTo(60);
        assertThat(listed.get("isUsableOnce").asBoolean()).isTrue();
        assertThat(listed.has("startDateTime")).isTrue();
    }

    @Test
    void aSecondPostReplacesTheValidPass() {
        String path = "/users/" + userId + "/authentication/temporaryAccessPassMethods";
        String first = Wire.json(wire.graph("POST", path, "{\"lifetimeInMinutes\":60}")).get("id").asText();
        String second = Wire.json(wire.graph("POST", path, "{\"lifetimeInMinutes\":60}")).get("id").asText();

        assertThat(Wire.json(wire.graph("GET", path, null)).get("value")).singleElement()
                .satisfies(pass -> assertThat(pass.get("id").asText()).isEqualTo(second).isNotEqualTo(first));
        assertThat(wire.graph("GET", path + "/" + first, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aLifetimeOutsideTheRangeIs400() {
        HttpResponse<String> response = wire.graph("POST", "/users/" + userId + "/authentication/temporaryAccessPassMethods",
                "{\"lifetimeInMinutes\":43201}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tenant.state().temporaryAccessPass(userId)).isEmpty();
    }

    @Test
    void signInActivityIsNullUntilASignInAndNeedsAPremiumLicence() {
        JsonNode before = Wire.json(wire.graph("GET", "/users/" + userId + "?$select=id,signInActivity", null));
        tenant.state().recordSignIn(userId, java.time.Instant.parse("2026-01-02T03:04:05Z"));
        JsonNode after = Wire.json(wire.graph("GET", "/users/" + userId + "?$select=id,signInActivity", null));

        assertThat(before.get("signInActivity").isNull()).isTrue();
        assertThat(after.at("/signInActivity/lastSuccessfulSignInDateTime").asText()).isEqualTo("2026-01-02T03:04:05Z");
        try (FakeTenant free = FakeTenant.start(TenantSeed.minimal())) {
            Wire freeWire = new Wire(free);
            String id = Wire.json(freeWire.graph("POST", "/users", Wire.userBody("bg01@fabrikam.onmicrosoft.com")))
                    .get("id").asText();
            HttpResponse<String> denied = freeWire.graph("GET", "/users/" + id + "?$select=signInActivity", null);

            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(Wire.json(denied).at("/error/code").asText())
                    .isEqualTo("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
        }
    }

    @Test
    void whatIfAnswersWhatIfAnalysisResultsWithTheReasonAPolicyDoesNotApply() {
        String body = "{\"signInIdentity\":{\"@odata.type\":\"#microsoft.graph.userSignIn\",\"userId\":\"" + userId + "\"},"
                + "\"signInContext\":{\"@odata.type\":\"#microsoft.graph.applicationContext\",\"includeApplications\":"
                + "[\"c44b4083-3bb0-49c1-b47d-974e53cbdf3c\"]},\"signInConditions\":{\"clientAppType\":\"browser\","
                + "\"devicePlatform\":\"windows\"},\"appliedPoliciesOnly\":false}";
        HttpResponse<String> response = wire.graph("POST", "/identity/conditionalAccess/evaluate", body);
        JsonNode results = Wire.json(response).get("value");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Wire.json(response).get("@odata.context").asText()).endsWith("$metadata#Collection(microsoft.graph.whatIfAnalysisResult)");
        assertThat(results).hasSize(tenant.state().policies().size()).allSatisfy(result ->
                assertThat(result.get("@odata.type").asText()).isEqualTo("#microsoft.graph.whatIfAnalysisResult"));
        assertThat(byName(results, "CA001").get("analysisReasons").asText()).isEqualTo("clientApps");
        assertThat(byName(results, "CA002").get("policyApplies").asBoolean()).isTrue();
        assertThat(byName(results, "CA002").get("analysisReasons").asText()).isEqualTo("notSet");
        assertThat(byName(results, "CA013").get("analysisReasons").asText()).isEqualTo("policyNotEnabled");
        assertThat(byName(results, "CA003").get("analysisReasons").asText()).as("not an admin").isEqualTo("users");
        assertThat(wire.graph("POST", "/identity/conditionalAccess/evaluate", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aSeedCanRegisterPasskeys() {
        String json = "{\"initialDomain\":\"fabrikam.onmicrosoft.com\",\"users\":[{\"userPrincipalName\":"
                + "\"alice@fabrikam.onmicrosoft.com\",\"fido2Methods\":[\"YubiKey 5C\"]}]}";
        try (FakeTenant seeded = FakeTenant.start(TenantSeed.fromJson(new java.io.ByteArrayInputStream(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8))))) {
            String id = seeded.state().user("alice@fabrikam.onmicrosoft.com").orElseThrow().get("id").asText();
            JsonNode methods = Wire.json(new Wire(seeded).graph("GET", "/users/" + id + "/authentication/methods", null))
                    .get("value");

            assertThat(methods).hasSize(2);
            assertThat(methods.get(1).get("@odata.type").asText()).isEqualTo("#microsoft.graph.fido2AuthenticationMethod");
            assertThat(methods.get(1).get("displayName").asText()).isEqualTo("YubiKey 5C");
            assertThat(seeded.state().user(id).orElseThrow().has("fido2Methods")).isFalse();
        }
    }

    private static JsonNode byName(JsonNode results, String prefix) {
        for (JsonNode result : results) {
            if (result.get("displayName").asText().startsWith(prefix)) {
                return result;
            }
        }
        throw new AssertionError("no policy " + prefix);
    }
}
