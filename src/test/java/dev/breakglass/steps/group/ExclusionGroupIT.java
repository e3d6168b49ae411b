package dev.breakglass.steps.group;

import static dev.breakglass.testing.StepTable.tenantRow;
import static dev.breakglass.testing.StepTable.upToDateWritesNothing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.CheckStatus;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.StepTable;
import dev.breakglass.testing.StepTable.Given;
import dev.breakglass.testing.StepTable.Then;
import dev.breakglass.testing.StepTable.When;
import dev.breakglass.testing.TestTenant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exclusion group, row by row: each row prepares the tenant, runs the step to its end, and
 * asserts the group's final state. Covers E4's "added to a group" in reverse: an extra member of
 * the exclusion group is the highest-severity drift, always reported, removed only with remediation.
 */
class ExclusionGroupIT {

    private static final String STEP = "ExclusionGroup";

    static Stream<Arguments> rows() {
        return Stream.of(
                tenantRow("absent → created role-assignable, holding both accounts", tenant -> { },
                        (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    JsonNode group = exclusionGroup(tenant);
                    assertThat(group.get("isAssignableToRole").asBoolean()).isTrue();
                    assertThat(group.get("securityEnabled").asBoolean()).isTrue();
                    assertThat(group.get("mailEnabled").asBoolean()).isFalse();
                    assertThat(members(tenant)).containsExactlyInAnyOrderElementsOf(accountIds(tenant));
                }),
                upToDateWritesNothing(),
                tenantRow("run twice → one group", tenant -> tenant.runToEnd(STEP, null), (tenant, outcome) ->
                        assertThat(tenant.fake().state().groups()).filteredOn(g -> g.path("mailNickname").asText()
                                .equals("breakglass-ca-exclusion")).hasSize(1)),
                tenantRow("extra member, remediation off → reported and kept", tenant -> {
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().addMember(exclusionGroup(tenant).get("id").asText(), intruder(tenant));
                }, (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class, done ->
                            assertThat(done.message()).startsWith("SECURITY: left 1 unexpected member"));
                    String intruder = tenant.fake().state().user(INTRUDER).orElseThrow().get("id").asText();
                    assertThat(members(tenant)).contains(intruder);
                    CheckResult check = tenant.verify().checks().stream().filter(c -> c.id().equals("BG.1005"))
                            .findFirst().orElseThrow();
                    assertThat(check.status()).isEqualTo(CheckStatus.Failed);
                    assertThat(check.detail()).contains("SECURITY").contains(INTRUDER);
                }),
                tenantRow("extra member, remediation on → removed", tenant -> {
                    tenant.set(Setting.REMEDIATION, "true");
                    tenant.runToEnd(STEP, null);
                    tenant.fake().state().addMember(exclusionGroup(tenant).get("id").asText(), intruder(tenant));
                }, (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    assertThat(members(tenant)).containsExactlyInAnyOrderElementsOf(accountIds(tenant));
                }),
                tenantRow("a group of that name that is not role-assignable → terminal, untouched", tenant ->
                        tenant.fake().state().addGroup(plainGroup()), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal ->
                            assertThat(terminal.reason()).isEqualTo("ForeignObjectExists"));
                    assertThat(members(tenant)).isEmpty();
                }),
                tenantRow("forbidden → terminal", tenant -> tenant.fake().faults().on("POST", "/v1.0/groups").always()
                        .error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
                        (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal ->
                            assertThat(terminal.reason()).isEqualTo("Authorization_RequestDenied"));
                    assertThat(tenant.fake().state().groups()).isEmpty();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keepsTheGroupHoldingExactlyTheAccounts(String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.applyBefore(STEP);
            StepTable.play(tenant, STEP, null, given, when, then);
        }
    }

    private static final String INTRUDER = "mallory@fabrikam.onmicrosoft.com";

    /** A user who would like to bypass Conditional Access. */
    private static String intruder(TestTenant tenant) {
        ObjectNode user = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        user.put("userPrincipalName", INTRUDER);
        user.put("displayName", "Mallory");
        user.put("accountEnabled", true);
        user.put("mailNickname", "mallory");
        return tenant.fake().state().putUser(user, "Mallory-Pa55word!");
    }

    private static JsonNode exclusionGroup(TestTenant tenant) {
        return tenant.fake().state().groups().stream()
                .filter(group -> group.path("mailNickname").asText().equals("breakglass-ca-exclusion"))
                .findFirst().orElseThrow();
    }

    private static List<String> members(TestTenant tenant) {
        return tenant.fake().state().groups().stream()
                .filter(group -> group.path("mailNickname").asText().equals("breakglass-ca-exclusion"))
                .findFirst().map(group -> tenant.fake().state().members(group.get("id").asText())).orElse(List.of());
    }

    private static List<String> accountIds(TestTenant tenant) {
        return Stream.of("bg01", "bg02").map(key -> tenant.fake().state().user(key + "@fabrikam.onmicrosoft.com")
                .orElseThrow().get("id").asText()).toList();
    }

    private static ObjectNode plainGroup() {
        ObjectNode group = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        group.put("displayName", "Look-alike");
        group.put("mailNickname", "breakglass-ca-exclusion");
        group.put("securityEnabled", true);
        group.put("mailEnabled", false);
        return group;
    }
}
