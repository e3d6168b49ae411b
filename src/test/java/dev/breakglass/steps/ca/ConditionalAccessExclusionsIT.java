package dev.breakglass.steps.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.testing.TestTenant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Conditional Access exclusion against the demo tenant's 16 policies of every kind. The first
 * three tests are the regressions of the well-known script, each failing on a naive implementation:
 * a PATCH that replaces {@code excludeUsers} wipes existing exclusions, a filter on "mfa" misses
 * block/strength/device/location/session policies, and an unconditional PATCH writes on every run.
 * Also covers D8 (other arrays kept), D9 (report-only, disabled, Microsoft-managed), D10 (allow-list),
 * C2 (429 without Retry-After, paced at 1/s) and E3 (new policy, removed exclusion).
 */
class ConditionalAccessExclusionsIT {

    static final String EXCLUDES_OTHERS = "ca000000-0000-4000-8000-000000000015";
    static final String CA_PATH = "/v1.0/identity/conditionalAccess/policies.*";

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnTheDemoTenant {

        private TestTenant tenant;
        private Map<String, ObjectNode> before;
        private String groupId;

        @BeforeAll
        void provision() {
            tenant = TestTenant.demo();
            before = byId(tenant.fake().state().policies());
            assertThat(tenant.apply().succeeded()).isTrue();
            groupId = exclusionGroupId(tenant);
        }

        @AfterAll
        void stop() {
            tenant.close();
        }

        @Test
        void keepsEveryExclusionThatWasAlreadyThere() {
            JsonNode users = tenant.fake().state().policy(EXCLUDES_OTHERS).orElseThrow().at("/conditions/users");

            assertThat(texts(users.get("excludeUsers"))).containsExactly("c0ffee00-0000-4000-8000-000000000005");
            assertThat(texts(users.get("excludeGroups"))).containsExactly("6a0c0000-0000-4000-8000-000000000002", groupId);
            assertThat(texts(users.get("excludeRoles"))).containsExactly("d29b2b05-8046-44ba-8758-1e26182fcf32");
        }

        @Test
        void excludesTheGroupFromEveryPolicyThatCanLockOutNotOnlyMfaOnes() {
            List<ObjectNode> policies = tenant.fake().state().policies().stream()
                    .filter(policy -> !policy.get("id").asText().equals(TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID))
                    .toList();

            assertThat(policies).hasSize(15).allSatisfy(policy -> assertThat(texts(policy.at(
                    "/conditions/users/excludeGroups"))).as(policy.get("displayName").asText()).containsOnlyOnce(groupId));
            assertThat(policies).extracting(policy -> policy.get("state").asText())
                    .contains("enabled", "enabledForReportingButNotEnforced", "disabled");
            assertThat(policies).anySatisfy(policy -> assertThat(policy.at("/grantControls/builtInControls").toString())
                    .contains("block"));
            assertThat(policies).anySatisfy(policy -> assertThat(policy.at("/grantControls/authenticationStrength/id")
                    .isMissingNode()).isFalse());
            assertThat(policies).anySatisfy(policy -> assertThat(policy.get("grantControls").isNull()).isTrue());
            assertThat(policies).anySatisfy(policy -> assertThat(policy.get("displayName").asText())
                    .startsWith("Microsoft-managed:"));
        }

        @Test
        void leavesTheAllowListedPolicyUntouched() {
            assertThat(tenant.fake().state().policy(TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID).orElseThrow())
                    .isEqualTo(before.get(TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID));
        }

        @Test
        void changesNothingOutsideTheExcludedGroups() {
            for (ObjectNode after : tenant.fake().state().policies()) {
                ObjectNode expected = before.get(after.get("id").asText()).deepCopy();
                ObjectNode actual = after.deepCopy();
                for (ObjectNode policy : List.of(expected, actual)) {
                    policy.remove("modifiedDateTime");
                    ((ObjectNode) policy.at("/conditions/users")).remove("excludeGroups");
                }
                assertThat(actual).as(after.get("displayName").asText()).isEqualTo(expected);
            }
        }

        @Test
        void writesNothingWhenRunAgain() {
            tenant.fake().journal().clear();

            assertThat(tenant.run("ConditionalAccessExclusions", null)).isInstanceOf(Outcome.Done.class);
            assertThat(tenant.fake().journal().writes()).isEmpty();
        }
    }

    @Test
    void backsOffOnThrottlingWithoutRetryAfterAndNeverSendsMoreThanOneRequestPerSecond() {
        try (TestTenant tenant = TestTenant.start(seedWith(policy("Require MFA", "mfa"), policy("Block", "block")))) {
            tenant.applyBefore("ConditionalAccessExclusions");
            tenant.fake().faults().on("PATCH", CA_PATH).times(4).throttle(null);
            tenant.fake().journal().clear();

            Outcome outcome = tenant.runToEnd("ConditionalAccessExclusions", null);

            assertThat(outcome).isInstanceOf(Outcome.Done.class);
            String groupId = exclusionGroupId(tenant);
            assertThat(tenant.fake().state().policies()).allSatisfy(policy ->
                    assertThat(texts(policy.at("/conditions/users/excludeGroups"))).containsOnlyOnce(groupId));
            List<Journal.Entry> calls = tenant.fake().journal().entries().stream()
                    .filter(entry -> entry.path().startsWith("/v1.0/identity/conditionalAccess")).toList();
            assertThat(calls).filteredOn(entry -> entry.status() == 429).hasSize(4);
            for (int i = 1; i < calls.size(); i++) {
                assertThat(Duration.between(calls.get(i - 1).timestamp(), calls.get(i).timestamp()))
                        .as("gap before CA call %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            }
        }
    }

    @Test
    void neverTripsTheServicesOwnRateLimit() {
        try (TestTenant tenant = TestTenant.start(seedWith(policy("A", "mfa"), policy("B", "block"),
                policy("C", "compliantDevice")))) {
            tenant.fake().enforceConditionalAccessRateLimit(true);

            assertThat(tenant.apply().succeeded()).isTrue();
            assertThat(tenant.fake().journal().entries()).filteredOn(entry -> entry.status() == 429).isEmpty();
        }
    }

    @Test
    void detectsANewPolicyAndARemovedExclusionAndHealsBoth() {
        try (TestTenant tenant = TestTenant.start(seedWith(policy("Require MFA", "mfa"), policy("Block", "block")))) {
            assertThat(tenant.apply().succeeded()).isTrue();
            String groupId = exclusionGroupId(tenant);
            String first = tenant.fake().state().policies().get(0).get("id").asText();
            tenant.fake().state().removeFromArray(first, "/conditions/users/excludeGroups", groupId);
            String added = tenant.fake().state().addPolicy(policy("Added later", "passwordChange"));

            CheckResult check = tenant.verify().checks().stream().filter(c -> c.id().equals("BG.1006"))
                    .findFirst().orElseThrow();

            assertThat(check.status()).isEqualTo(CheckStatus.Failed);
            assertThat(check.detail()).contains(first).contains(added);
            assertThat(tenant.apply().succeeded()).isTrue();
            assertThat(tenant.custodiansRegisterKeysAndDrill().verify().allPassed()).isTrue();
        }
    }

    static TenantSeed seedWith(ObjectNode... policies) {
        ObjectNode seed = TenantSeed.minimal().json();
        ArrayNode list = seed.putArray("conditionalAccessPolicies");
        for (ObjectNode policy : policies) {
            list.add(policy);
        }
        seed.putArray("subscribedSkus").addObject().put("skuPartNumber", "AAD_PREMIUM_P2")
                .putArray("servicePlans").add("AAD_PREMIUM").add("AAD_PREMIUM_P2");
        return TenantSeed.fromJson(new java.io.ByteArrayInputStream(seed.toString().getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }

    static ObjectNode policy(String name, String control) {
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("displayName", name);
        policy.put("state", "enabled");
        ObjectNode conditions = policy.putObject("conditions");
        conditions.putObject("users").putArray("includeUsers").add("All");
        conditions.putObject("applications").putArray("includeApplications").add("All");
        ObjectNode grant = policy.putObject("grantControls");
        grant.put("operator", "OR");
        grant.putArray("builtInControls").add(control);
        return policy;
    }

    static String exclusionGroupId(TestTenant tenant) {
        return tenant.fake().state().groups().stream()
                .filter(group -> group.path("mailNickname").asText().equals(tenant.spec().exclusionGroupName()))
                .map(group -> group.get("id").asText()).findFirst().orElseThrow();
    }

    static Map<String, ObjectNode> byId(List<ObjectNode> policies) {
        return policies.stream().collect(Collectors.toMap(policy -> policy.get("id").asText(), Function.identity()));
    }

    static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
