package dev.breakglass.steps.alertrule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both alert rules, row by row, asserting the rule stored in the fake. Covers E1 (rule deleted), E2 (rule disabled,
 * query changed), D12 (a workspace with no data yet), D14 (repeat PUTs keep the id), a new account, and ARM ids
 * compared case-insensitively.
 */
class AlertRulesIT {

    /** The two rules: step, rule name, check id. */
    enum Rule {
        SIGN_IN("SignInAlertRule", "breakglass-sign-in", "BG.1009"),
        AUDIT("AuditAlertRule", "breakglass-audit", "BG.1010");

        final String step;
        final String ruleName;
        final String checkId;

        Rule(String step, String ruleName, String checkId) {
            this.step = step;
            this.ruleName = ruleName;
            this.checkId = checkId;
        }
    }

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            rows.addAll(rows(rule));
        }
        return rows.stream();
    }

    private static List<Arguments> rows(Rule rule) {
        return List.of(
                row(rule, "absent → created: enabled, severity 0, on the workspace, notifying the action group",
                        tenant -> { }, (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    JsonNode stored = stored(tenant, rule);
                    JsonNode properties = stored.get("properties");
                    assertThat(stored.get("kind").asText()).isEqualTo("LogAlert");
                    assertThat(stored.get("location").asText()).isEqualTo("westeurope");
                    assertThat(properties.get("enabled").asBoolean()).isTrue();
                    assertThat(properties.get("severity").asInt(-1)).isZero();
                    assertThat(properties.get("autoMitigate").asBoolean()).isFalse();
                    assertThat(properties.get("skipQueryValidation").asBoolean()).isFalse();
                    assertThat(properties.get("evaluationFrequency").asText()).isEqualTo("PT5M");
                    assertThat(properties.get("windowSize").asText()).isEqualTo("PT15M");
                    assertThat(texts(properties.get("scopes"))).containsExactly(tenant.fake().workspaceId());
                    assertThat(texts(properties.at("/actions/actionGroups"))).singleElement().asString()
                            .endsWithIgnoringCase("/providers/Microsoft.Insights/actionGroups/breakglass-alerts");
                    JsonNode condition = properties.at("/criteria/allOf/0");
                    assertThat(condition.get("timeAggregation").asText()).isEqualTo("Count");
                    assertThat(condition.get("operator").asText()).isEqualTo("GreaterThan");
                    assertThat(condition.get("threshold").asDouble(-1)).isZero();
                    assertThat(condition.get("query").asText()).contains(watchedIds(tenant, rule));
                }),
                withRule(rule, StepTable.upToDateWritesNothing()),
                row(rule, "D14: run twice → one rule, same id", tenant -> tenant.runToEnd(rule.step, null),
                        (tenant, outcome) -> assertThat(tenant.fake().state().alertRules())
                                .filteredOn(stored -> stored.get("name").asText().equals(rule.ruleName)).hasSize(1)),
                row(rule, "E1: deleted → detected, recreated", tenant -> {
                    tenant.runToEnd(rule.step, null);
                    tenant.fake().state().deleteAlertRule(rule.ruleName);
                    assertFailedWith(tenant, rule, "no alert rule " + rule.ruleName);
                }, (tenant, outcome) -> assertThat(stored(tenant, rule).at("/properties/enabled").asBoolean()).isTrue()),
                row(rule, "E2: disabled → detected, enabled again", tenant -> {
                    tenant.runToEnd(rule.step, null);
                    tenant.fake().state().disableAlertRule(rule.ruleName);
                    assertFailedWith(tenant, rule, "the rule is disabled");
                }, (tenant, outcome) -> assertThat(stored(tenant, rule).at("/properties/enabled").asBoolean()).isTrue()),
                row(rule, "E2: query changed → detected, restored", tenant -> {
                    tenant.runToEnd(rule.step, null);
                    tenant.fake().state().setAlertRuleQuery(rule.ruleName, "SigninLogs | where UserPrincipalName == 'bg01'");
                    assertFailedWith(tenant, rule, "its query no longer names bg01");
                }, (tenant, outcome) -> assertThat(query(tenant, rule)).contains(watchedIds(tenant, rule))
                        .doesNotContain("UserPrincipalName ==")),
                row(rule, "a third account → the rule names it", tenant -> {
                    tenant.runToEnd(rule.step, null);
                    tenant.set(Setting.ACCOUNT_COUNT, "3");
                    tenant.applyBefore(rule.step);
                    assertFailedWith(tenant, rule, "its query no longer names bg03");
                }, (tenant, outcome) -> assertThat(query(tenant, rule)).contains(watchedIds(tenant, rule))),
                row(rule, "action group id returned lower-cased → still up to date, zero writes", tenant -> {
                    tenant.runToEnd(rule.step, null);
                    tenant.fake().state().editAlertRule(rule.ruleName, stored -> {
                        ArrayNode groups = (ArrayNode) stored.at("/properties/actions/actionGroups");
                        groups.set(0, groups.get(0).asText().toLowerCase(Locale.ROOT));
                    });
                    tenant.fake().journal().clear();
                }, (tenant, outcome) -> assertThat(tenant.fake().journal().writes()).isEmpty()),
                row(rule, "D12: the workspace has no data yet → written without query validation", tenant ->
                        tenant.fake().state().workspaceTables(tenant.fake().workspaceId(), List.of()), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class, done ->
                            assertThat(done.message()).contains("query validation was skipped"));
                    assertThat(stored(tenant, rule).at("/properties/skipQueryValidation").asBoolean()).isTrue();
                    assertThat(check(tenant, rule).status()).isEqualTo(CheckStatus.Passed);
                }),
                row(rule, "throttled → waited, then written once", tenant -> tenant.fake().faults()
                        .on("PUT", "/subscriptions/.*/scheduledQueryRules/" + rule.ruleName).throttle("1"), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOf(Outcome.Done.class);
                    assertThat(tenant.fake().journal().count("PUT", "/subscriptions/.*/scheduledQueryRules/" + rule.ruleName))
                            .isEqualTo(2);
                    assertThat(tenant.fake().state().alertRule(rule.ruleName)).isPresent();
                }),
                row(rule, "forbidden → terminal, nothing written", tenant -> tenant.fake().faults()
                        .on("PUT", "/subscriptions/.*/scheduledQueryRules/.*").always()
                        .error(403, "AuthorizationFailed", "The client does not have authorization to perform action "
                                + "'Microsoft.Insights/scheduledQueryRules/write'."), (tenant, outcome) -> {
                    assertThat(outcome).isInstanceOfSatisfying(Outcome.Terminal.class, terminal ->
                            assertThat(terminal.reason()).isEqualTo("AuthorizationFailed"));
                    assertThat(tenant.fake().state().alertRule(rule.ruleName)).isEmpty();
                }));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rows")
    void keepsTheAlertRuleWatchingEveryAccount(Rule rule, String reason, Given given, When when, Then then) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.applyBefore(rule.step);
            StepTable.play(tenant, rule.step, null, given, when, then);
        }
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void waitsForTheActionGroupInsteadOfWritingARuleThatNotifiesNobody(Rule rule) {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            tenant.applyBefore("ActionGroup");

            Outcome outcome = tenant.run(rule.step, null);

            assertThat(outcome).isInstanceOfSatisfying(Outcome.RequeueAfter.class, requeue ->
                    assertThat(requeue.reason()).contains("waiting for ActionGroup"));
            assertThat(tenant.fake().state().alertRules()).isEmpty();
        }
    }

    /** A {@link StepTable#tenantRow} with the rule in front. */
    private static Arguments row(Rule rule, String reason, Consumer<TestTenant> given,
            BiConsumer<TestTenant, Outcome> then) {
        return withRule(rule, StepTable.tenantRow(reason, given, then));
    }

    private static Arguments withRule(Rule rule, Arguments row) {
        List<Object> columns = new ArrayList<>(List.of(rule));
        columns.addAll(List.of(row.get()));
        return Arguments.of(columns.toArray());
    }

    private static void assertFailedWith(TestTenant tenant, Rule rule, String detail) {
        CheckResult check = check(tenant, rule);
        assertThat(check.status()).isEqualTo(CheckStatus.Failed);
        assertThat(check.detail()).contains(detail);
    }

    private static CheckResult check(TestTenant tenant, Rule rule) {
        return tenant.verify().checks().stream().filter(check -> check.id().equals(rule.checkId)).findFirst().orElseThrow();
    }

    private static JsonNode stored(TestTenant tenant, Rule rule) {
        return tenant.fake().state().alertRule(rule.ruleName).orElseThrow();
    }

    private static String query(TestTenant tenant, Rule rule) {
        return stored(tenant, rule).at("/properties/criteria/allOf/0/query").asText();
    }

    /** The object ids the rule must name: every account's, and for the audit rule the exclusion group's. */
    private static String[] watchedIds(TestTenant tenant, Rule rule) {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= tenant.spec().accountCount(); n++) {
            ids.add(tenant.fake().state().user(String.format("bg%02d@fabrikam.onmicrosoft.com", n)).orElseThrow()
                    .get("id").asText());
        }
        if (rule == Rule.AUDIT) {
            tenant.fake().state().groups().stream()
                    .filter(group -> group.path("mailNickname").asText().equals("breakglass-ca-exclusion"))
                    .forEach(group -> ids.add(group.get("id").asText()));
        }
        return ids.toArray(String[]::new);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }
}
