package dev.breakglass.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.monitor.fluent.ScheduledQueryRulesClient;
import com.azure.resourcemanager.monitor.fluent.models.ScheduledQueryRuleResourceInner;
import com.azure.resourcemanager.monitor.models.Actions;
import com.azure.resourcemanager.monitor.models.AlertSeverity;
import com.azure.resourcemanager.monitor.models.Condition;
import com.azure.resourcemanager.monitor.models.ConditionFailingPeriods;
import com.azure.resourcemanager.monitor.models.ConditionOperator;
import com.azure.resourcemanager.monitor.models.Dimension;
import com.azure.resourcemanager.monitor.models.DimensionOperator;
import com.azure.resourcemanager.monitor.models.Kind;
import com.azure.resourcemanager.monitor.models.ScheduledQueryRuleCriteria;
import com.azure.resourcemanager.monitor.models.TimeAggregation;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.steps.alertrule.AlertRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link AlertRules} on azure-resourcemanager-monitor's scheduled query rules client (api-version 2022-06-15). The
 * SDK sends {@code severity} as a string ("0"), as that version's spec types it; the service answers a number.
 */
final class ArmAlertRules implements AlertRules {

    /**
     * The service rejects a query over a table with no data with 400 BadRequest and only this text to tell it from
     * other bad requests, so it is matched here, once.
     */
    private static final String TABLE_NOT_RESOLVED = "Failed to resolve table or column expression";

    private final Supplier<ScheduledQueryRulesClient> client;

    ArmAlertRules(Supplier<ScheduledQueryRulesClient> client) {
        this.client = client;
    }

    @Override
    public Optional<Rule> get(String resourceGroup, String name) {
        return CloudErrors.readResource("reading alert rule " + name,
                () -> toRule(client.get().getByResourceGroup(resourceGroup, name)));
    }

    @Override
    public void put(String resourceGroup, String name, Rule rule) {
        try {
            client.get().createOrUpdate(resourceGroup, name, toInner(rule));
        } catch (ManagementException e) {
            if (e.getValue() != null && e.getValue().getMessage() != null
                    && e.getValue().getMessage().contains(TABLE_NOT_RESOLVED)) {
                throw new CloudException(CloudException.Kind.TERMINAL, 400, QUERY_TABLE_NOT_FOUND, "writing alert rule "
                        + name + ": the workspace has no data yet in a table the query reads", null);
            }
            throw CloudErrors.translate("writing alert rule " + name, e);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("writing alert rule " + name, e);
        }
    }

    private static Rule toRule(ScheduledQueryRuleResourceInner inner) {
        Condition condition = inner.criteria() == null || inner.criteria().allOf() == null
                || inner.criteria().allOf().isEmpty() ? new Condition() : inner.criteria().allOf().get(0);
        String dimension = condition.dimensions() == null || condition.dimensions().isEmpty() ? ""
                : condition.dimensions().get(0).name();
        return new Rule(inner.location(), inner.displayName(), inner.description(),
                inner.severity() == null ? -1 : Integer.parseInt(inner.severity().toString()),
                Boolean.TRUE.equals(inner.enabled()), orEmpty(inner.scopes()), inner.evaluationFrequency(),
                inner.windowSize(), condition.query() == null ? "" : condition.query(), dimension,
                condition.timeAggregation() == null ? "" : condition.timeAggregation().toString(),
                condition.operator() == null ? "" : condition.operator().toString(),
                condition.threshold() == null ? Double.NaN : condition.threshold(),
                !Boolean.FALSE.equals(inner.autoMitigate()),
                inner.actions() == null ? List.of() : orEmpty(inner.actions().actionGroups()),
                Boolean.TRUE.equals(inner.skipQueryValidation()));
    }

    private static ScheduledQueryRuleResourceInner toInner(Rule rule) {
        Condition condition = new Condition()
                .withQuery(rule.query())
                .withTimeAggregation(TimeAggregation.fromString(rule.timeAggregation()))
                .withDimensions(List.of(new Dimension().withName(rule.dimension()).withOperator(DimensionOperator.INCLUDE)
                        .withValues(List.of("*"))))
                .withOperator(ConditionOperator.fromString(rule.operator()))
                .withThreshold(rule.threshold())
                .withFailingPeriods(new ConditionFailingPeriods().withNumberOfEvaluationPeriods(1L)
                        .withMinFailingPeriodsToAlert(1L));
        ScheduledQueryRuleResourceInner inner = new ScheduledQueryRuleResourceInner();
        inner.withLocation(rule.location());
        return inner.withKind(Kind.LOG_ALERT)
                .withDisplayName(rule.displayName())
                .withDescription(rule.description())
                .withSeverity(AlertSeverity.fromLong(rule.severity()))
                .withEnabled(rule.enabled())
                .withScopes(rule.scopes())
                .withEvaluationFrequency(rule.evaluationFrequency())
                .withWindowSize(rule.windowSize())
                .withCriteria(new ScheduledQueryRuleCriteria().withAllOf(List.of(condition)))
                .withAutoMitigate(rule.autoMitigate())
                .withSkipQueryValidation(rule.skipQueryValidation())
                .withActions(new Actions().withActionGroups(rule.actionGroups()).withCustomProperties(Map.of()));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
