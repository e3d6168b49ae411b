package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantSeedTest {
    static final String SEED = """
            {
              "tenantId": "11111111-2222-3333-4444-555555555555",
              "initialDomain": "tailspin.onmicrosoft.com",
              "domains": ["tailspin.com", {"id": "unverified.example", "isVerified": false}],
              "subscribedSkus": [{"skuPartNumber": "AAD_PREMIUM", "servicePlans": ["AAD_PREMIUM"]}],
              "users": [{"userPrincipalName": "ops@tailspin.com", "displayName": "Ops"}],
              "groups": [{"displayName": "Ops", "mailNickname": "ops", "members": ["ops@tailspin.com"]}],
              "roleAssignments": [{"principal": "ops@tailspin.com", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"}],
              "conditionalAccessPolicies": [{"id": "AAAAAAAA-0000-0000-0000-000000000001", "displayName": "Block", "state": "enabled",
                "conditions": {"users": {"includeUsers": ["All"]}}, "grantControls": {"operator": "OR", "builtInControls": ["block"]}}]
            }
            """;

    @Test
    void shortSeedsAreExpandedToFullShapes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seed.json");
        Files.writeString(file, SEED);
        try (FakeTenant tenant = FakeTenant.start(TenantSeed.fromJson(file))) {
            TenantState state = tenant.state();
            assertThat(tenant.tenantId()).isEqualTo("11111111-2222-3333-4444-555555555555");
            assertThat(tenant.initialDomain()).isEqualTo("tailspin.onmicrosoft.com");
            JsonNode user = state.user("OPS@tailspin.com").orElseThrow();
            assertThat(user.get("accountEnabled").asBoolean()).isTrue();
            assertThat(user.get("userType").asText()).isEqualTo("Member");
            assertThat(state.members(state.groups().get(0).get("id").asText())).containsExactly(user.get("id").asText());
            assertThat(state.roleSchedules()).singleElement().satisfies(s -> assertThat(s.get("createdUsing").isNull()).isTrue());
            JsonNode policy = state.policy("aaaaaaaa-0000-0000-0000-000000000001").orElseThrow();
            assertThat(policy.at("/conditions/users/excludeUsers").isArray()).isTrue();
            assertThat(policy.at("/conditions/applications/includeApplications").isArray()).isTrue();
            assertThat(policy.at("/grantControls/termsOfUse").isArray()).isTrue();
            assertThat(policy.get("sessionControls").isNull()).isTrue();

            Wire wire = new Wire(tenant);
            assertThat(wire.graph("POST", "/users", Wire.userBody("x@unverified.example")).statusCode()).isEqualTo(400);
            assertThat(wire.graph("POST", "/users", Wire.userBody("x@tailspin.com")).statusCode()).isEqualTo(201);
            // P1 only: PIM is unlicensed.
            assertThat(wire.graph("GET", "/roleManagement/directory/roleAssignmentSchedules", null).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aSizedSeedHoldsThatManyPoliciesOfMixedKindsWithTheAllowListedOneOnce() {
        TenantSeed seed = TenantSeed.sized(TenantSeed.MAX_POLICIES);
        JsonNode policies = seed.json().get("conditionalAccessPolicies");

        assertThat(policies).hasSize(195);
        List<JsonNode> all = new ArrayList<>();
        policies.forEach(all::add);
        assertThat(all).extracting(policy -> policy.path("id").asText()).doesNotHaveDuplicates()
                .containsOnlyOnce(TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID);
        assertThat(all).extracting(policy -> policy.path("displayName").asText()).doesNotHaveDuplicates();
        assertThat(all).extracting(policy -> policy.path("state").asText())
                .contains("enabled", "disabled", "enabledForReportingButNotEnforced");
        assertThatThrownBy(() -> TenantSeed.sized(196)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seedsNeedAnInitialDomain() {
        assertThatThrownBy(() -> TenantSeed.fromJson(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
