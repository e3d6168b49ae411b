package dev.breakglass.steps.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.TestTenant;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConditionalAccessWhatIf} through the SDK's What If action against the fake's evaluator, on a tenant whose
 * accounts were provisioned (so every policy that could lock them out excludes the group), then broken one policy at
 * a time: only an enforced policy that applies to the account and the Azure portal fails the check, per policy; an
 * allow-listed policy asking for phishing-resistant MFA is expected (D10); an evaluation that fails is Error.
 */
class ConditionalAccessWhatIfIT {

    private static final String BLOCK_ALL = "cafe0000-0000-4000-8000-000000000001";
    private static final String MFA_FOR_GLOBAL_ADMINS = "cafe0000-0000-4000-8000-000000000002";
    private static final String REPORT_ONLY_BLOCK = "cafe0000-0000-4000-8000-000000000003";
    private static final String DISABLED_MFA = "cafe0000-0000-4000-8000-000000000004";
    private static final String ALLOW_LISTED = "cafe0000-0000-4000-8000-000000000005";
    private static final String MFA_FOR_OFFICE = "cafe0000-0000-4000-8000-000000000006";

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("provisioned → Passed, the allow-listed policy expected", nothing(), CheckStatus.Passed,
                        "allow-listed 'Phishing-resistant MFA for emergency accounts' (" + ALLOW_LISTED
                                + ") requires authenticationStrength (expected)"),
                Arguments.of("exclusion lost from a block-all policy → Failed, that policy named", unexclude(BLOCK_ALL),
                        CheckStatus.Failed, "'Block everyone' (" + BLOCK_ALL + ") blocks a sign-in to the Azure portal"),
                Arguments.of("exclusion lost from MFA for Global Administrators on admin portals → Failed",
                        unexclude(MFA_FOR_GLOBAL_ADMINS), CheckStatus.Failed, "challenges (mfa)"),
                Arguments.of("exclusion lost from a report-only policy → Passed, noted", unexclude(REPORT_ONLY_BLOCK),
                        CheckStatus.Passed, "report-only 'Block everyone (report-only)'"),
                Arguments.of("exclusion lost from a disabled policy → Passed", unexclude(DISABLED_MFA), CheckStatus.Passed,
                        "no enforced policy blocks or challenges"),
                Arguments.of("exclusion lost from a policy for Office 365 only → Passed", unexclude(MFA_FOR_OFFICE),
                        CheckStatus.Passed, "no enforced policy blocks or challenges"),
                Arguments.of("the allow-listed policy changed to block → Failed", (Consumer<TestTenant>) tenant ->
                        tenant.fake().state().patchPolicy(ALLOW_LISTED, grantBlock()), CheckStatus.Failed,
                        "(" + ALLOW_LISTED + ") blocks"),
                Arguments.of("What If forbidden → Error, never Passed", (Consumer<TestTenant>) tenant ->
                        tenant.fake().faults().on("POST", "/v1.0/identity/conditionalAccess/evaluate").always()
                                .error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
                        CheckStatus.Error, "Authorization_RequestDenied"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reportsEachEnforcedPolicyThatWouldLockTheAccountOut(String reason, Consumer<TestTenant> given,
            CheckStatus status, String detail) {
        try (TestTenant tenant = TestTenant.start(seed()).set(Setting.ACCOUNT_COUNT, "1").withoutMonitoring()
                .set(Setting.CA_ALLOW_LIST, ALLOW_LISTED)) {
            tenant.applyBefore("ConditionalAccessWhatIf");
            given.accept(tenant);
            tenant.fake().journal().clear();

            CheckResult result = tenant.verify().checks().stream()
                    .filter(check -> check.id().equals("BG.1013")).findFirst().orElseThrow();

            assertThat(result.status()).isEqualTo(status);
            assertThat(result.detail()).contains(detail);
            assertThat(tenant.fake().journal().writes()).as("What If never writes").isEmpty();
        }
    }

    private static Consumer<TestTenant> nothing() {
        return tenant -> { };
    }

    /** Someone removes the exclusion group from one policy. */
    private static Consumer<TestTenant> unexclude(String policyId) {
        return tenant -> {
            String group = tenant.fake().state().groups().stream()
                    .filter(g -> g.path("mailNickname").asText().equals("breakglass-ca-exclusion"))
                    .findFirst().orElseThrow().get("id").asText();
            tenant.fake().state().removeFromArray(policyId, "/conditions/users/excludeGroups", group);
        };
    }

    private static ObjectNode grantBlock() {
        ObjectNode patch = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        patch.putObject("grantControls").put("operator", "OR").putNull("authenticationStrength")
                .putArray("builtInControls").add("block");
        return patch;
    }

    private static TenantSeed seed() {
        String users = "{\"includeUsers\":[\"All\"]}";
        String json = "{\"initialDomain\":\"fabrikam.onmicrosoft.com\",\"subscribedSkus\":[{\"skuPartNumber\":\"AAD_PREMIUM_P2\","
                + "\"servicePlans\":[\"AAD_PREMIUM\",\"AAD_PREMIUM_P2\"]}],\"conditionalAccessPolicies\":["
                + policy(BLOCK_ALL, "Block everyone", "enabled", users, "All", "\"builtInControls\":[\"block\"]") + ","
                + policy(MFA_FOR_GLOBAL_ADMINS, "MFA for Global Administrators", "enabled",
                        "{\"includeRoles\":[\"62e90394-69f5-4237-9190-012177145e10\"]}", "MicrosoftAdminPortals",
                        "\"builtInControls\":[\"mfa\"]") + ","
                + policy(REPORT_ONLY_BLOCK, "Block everyone (report-only)", "enabledForReportingButNotEnforced", users, "All",
                        "\"builtInControls\":[\"block\"]") + ","
                + policy(DISABLED_MFA, "MFA (disabled)", "disabled", users, "All", "\"builtInControls\":[\"mfa\"]") + ","
                + policy(ALLOW_LISTED, "Phishing-resistant MFA for emergency accounts", "enabled", users, "All",
                        "\"builtInControls\":[],\"authenticationStrength\":{\"id\":\"00000000-0000-0000-0000-000000000004\"}") + ","
                + policy(MFA_FOR_OFFICE, "MFA for Office 365", "enabled", users, "Office365", "\"builtInControls\":[\"mfa\"]")
                + "]}";
        return TenantSeed.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String policy(String id, String name, String state, String users, String app, String grant) {
        return "{\"id\":\"" + id + "\",\"displayName\":\"" + name + "\",\"state\":\"" + state + "\",\"conditions\":{\"users\":"
                + users + ",\"applications\":{\"includeApplications\":[\"" + app + "\"]},\"clientAppTypes\":[\"all\"]},"
                + "\"grantControls\":{\"operator\":\"OR\"," + grant + "}}";
    }
}
