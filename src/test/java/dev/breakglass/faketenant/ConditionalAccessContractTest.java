package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConditionalAccessContractTest {
    static final String POLICIES = "/identity/conditionalAccess/policies";
    static final String CA015 = "ca000000-0000-4000-8000-000000000015";
    static final String EMERGENCY = "ca0e0e0e-0000-4000-8000-00000000b9a5";

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

    @Test
    void demoTenantHasTheRealisticPolicySet() {
        JsonNode list = Wire.json(wire.graph("GET", POLICIES, null));
        assertThat(list.get("value").size()).isGreaterThanOrEqualTo(14);
        assertThat(list.get("value").findValuesAsText("state")).contains("enabledForReportingButNotEnforced", "disabled");
        assertThat(list.get("value").findValuesAsText("displayName")).anyMatch(n -> n.startsWith("Microsoft-managed:"))
                .contains("Require phishing-resistant MFA for emergency accounts");
        assertThat(tenant.state().policy(EMERGENCY)).isPresent();
    }

    @Test
    void getReturnsTheFullShapeWithExplicitNullsAndTheStrengthAnnotation() {
        JsonNode policy = Wire.json(wire.graph("GET", POLICIES + "/" + CA015, null));

        assertThat(policy.get("@odata.context").asText()).endsWith("$metadata#identity/conditionalAccess/policies/$entity");
        assertThat(policy.get("templateId").isNull()).isTrue();
        assertThat(policy.get("sessionControls").isNull()).isTrue();
        JsonNode users = policy.at("/conditions/users");
        assertThat(users.get("includeRoles").isArray()).isTrue();
        assertThat(users.get("includeGuestsOrExternalUsers").isNull()).isTrue();
        assertThat(policy.at("/conditions/applications/includeUserActions").isArray()).isTrue();
        assertThat(policy.at("/conditions/applications/applicationFilter").isNull()).isTrue();
        assertThat(policy.at("/conditions/platforms").isNull()).isTrue();
        assertThat(policy.at("/conditions/signInRiskLevels").isArray()).isTrue();
        JsonNode grant = policy.get("grantControls");
        assertThat(grant.get("authenticationStrength@odata.context").asText())
                .isEqualTo(tenant.graphBaseUrl() + "/$metadata#identity/conditionalAccess/policies('" + CA015
                        + "')/grantControls/authenticationStrength/$entity");
        assertThat(grant.get("authenticationStrength").isNull()).isTrue();
        assertThat(grant.get("termsOfUse").isArray()).isTrue();

        JsonNode emergency = Wire.json(wire.graph("GET", POLICIES + "/" + EMERGENCY, null));
        assertThat(emergency.at("/grantControls/authenticationStrength/displayName").asText()).isEqualTo("Phishing-resistant MFA");
    }

    @Test
    void patchIs204AndReplacesEveryArrayNamedInTheBody() {
        HttpResponse<String> patch = wire.graph("PATCH", POLICIES + "/" + CA015,
                "{\"conditions\":{\"users\":{\"excludeUsers\":[\"bg01\"],\"excludeGroups\":[]}}}");

        assertThat(patch.statusCode()).isEqualTo(204);
        assertThat(patch.body()).isEmpty();
        JsonNode users = tenant.state().policy(CA015).orElseThrow().at("/conditions/users");
        assertThat(users.get("excludeUsers")).hasSize(1);
        assertThat(users.get("excludeUsers").get(0).asText()).isEqualTo("bg01");
        assertThat(users.get("excludeGroups")).isEmpty();
        assertThat(users.get("excludeRoles")).hasSize(1);
        assertThat(users.get("includeUsers").get(0).asText()).isEqualTo("All");
        JsonNode policy = tenant.state().policy(CA015).orElseThrow();
        assertThat(policy.at("/conditions/locations/excludeLocations").get(0).asText()).isEqualTo("AllTrusted");
        assertThat(policy.get("modifiedDateTime").isTextual()).isTrue();
    }

    @Test
    void patchRefusesReadOnlyFieldsBadStatesAndUnknownProperties() {
        assertThat(wire.graph("PATCH", POLICIES + "/" + CA015, "{\"id\":\"other\"}").statusCode()).isEqualTo(400);
        assertThat(wire.graph("PATCH", POLICIES + "/" + CA015, "{\"createdDateTime\":\"2020-01-01T00:00:00Z\"}").statusCode()).isEqualTo(400);
        assertThat(wire.graph("PATCH", POLICIES + "/" + CA015, "{\"state\":\"on\"}").statusCode()).isEqualTo(400);
        assertThat(wire.graph("PATCH", POLICIES + "/" + CA015, "{\"conditions\":{\"users\":{\"excludeUser\":[]}}}").statusCode()).isEqualTo(400);
        // Annotations and unchanged read-only values, as a GET echoes them, are accepted.
        JsonNode read = Wire.json(wire.graph("GET", POLICIES + "/" + CA015, null));
        assertThat(wire.graph("PATCH", POLICIES + "/" + CA015, "{\"id\":\"" + CA015 + "\",\"grantControls\":"
                + read.get("grantControls") + "}").statusCode()).isEqualTo(204);
    }

    @Test
    void createGetDelete() {
        HttpResponse<String> created = wire.graph("POST", POLICIES, "{\"displayName\":\"New\",\"state\":\"disabled\","
                + "\"conditions\":{\"users\":{\"includeUsers\":[\"All\"]},\"applications\":{\"includeApplications\":[\"All\"]},"
                + "\"clientAppTypes\":[\"all\"]},\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode policy = Wire.json(created);
        assertThat(policy.at("/conditions/users/excludeUsers").isArray()).isTrue();
        assertThat(policy.get("modifiedDateTime").isNull()).isTrue();
        String id = policy.get("id").asText();
        assertThat(wire.graph("DELETE", POLICIES + "/" + id, null).statusCode()).isEqualTo(204);
        assertThat(wire.graph("GET", POLICIES + "/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void listsPage() {
        tenant.pageSize(5);
        JsonNode first = Wire.json(wire.graph("GET", POLICIES, null));
        assertThat(first.get("value")).hasSize(5);
        assertThat(first.get("@odata.nextLink").asText()).startsWith(tenant.graphBaseUrl() + POLICIES + "?$skiptoken=");
    }

    @Test
    void rateLimitAnswers429WithoutRetryAfter() {
        tenant.enforceConditionalAccessRateLimit(true);
        assertThat(wire.graph("GET", POLICIES + "/" + CA015, null).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = wire.graph("GET", POLICIES + "/" + CA015, null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isEmpty();
        assertThat(Wire.json(throttled).at("/error/code").asText()).isEqualTo("TooManyRequests");
        // Other Graph APIs are not limited.
        assertThat(wire.graph("GET", "/users", null).statusCode()).isEqualTo(200);
    }

    @Test
    void stateMutatorsSimulateDrift() {
        tenant.state().removeFromArray(CA015, "/conditions/users/excludeRoles", "d29b2b05-8046-44ba-8758-1e26182fcf32");
        assertThat(tenant.state().policy(CA015).orElseThrow().at("/conditions/users/excludeRoles")).isEmpty();
        String id = tenant.state().addPolicy(Wire.MAPPER.createObjectNode().put("displayName", "Drift").put("state", "enabled"));
        assertThat(Wire.json(wire.graph("GET", POLICIES + "/" + id, null)).at("/conditions/users/includeUsers").isArray()).isTrue();
        assertThat(tenant.journal().writes()).isEmpty();
    }
}
