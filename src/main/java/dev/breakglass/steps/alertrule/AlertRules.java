package dev.breakglass.steps.alertrule;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Azure Monitor log search alert rules ({@code Microsoft.Insights/scheduledQueryRules}, api-version 2022-06-15). */
public interface AlertRules {

    /** Error code of {@link #put} when the workspace has no data yet in a table the query reads. */
    String QUERY_TABLE_NOT_FOUND = "QueryTableNotFound";

    /** {@code GET …/resourceGroups/{group}/providers/Microsoft.Insights/scheduledQueryRules/{name}}; empty on 404. */
    Optional<Rule> get(String resourceGroup, String name);

    /**
     * {@code PUT} of the same path: creates or replaces the whole rule, with one condition (count of rows
     * {@code > 0}, every evaluation period failing). Fails with code {@link #QUERY_TABLE_NOT_FOUND} when the service
     * validates the query and a table it reads holds no data yet.
     */
    void put(String resourceGroup, String name, Rule rule);

    /**
     * The parts of a rule breakglass owns.
     *
     * @param dimension           the column the alert is split by (one alert per value)
     * @param skipQueryValidation a write option: whether the service may skip validating the query; not compared
     */
    record Rule(String location, String displayName, String description, int severity, boolean enabled,
            List<String> scopes, Duration evaluationFrequency, Duration windowSize, String query, String dimension,
            String timeAggregation, String operator, double threshold, boolean autoMitigate, List<String> actionGroups,
            boolean skipQueryValidation) {

        public Rule {
            scopes = List.copyOf(scopes);
            actionGroups = List.copyOf(actionGroups);
        }

        public Rule withSkipQueryValidation(boolean skip) {
            return new Rule(location, displayName, description, severity, enabled, scopes, evaluationFrequency,
                    windowSize, query, dimension, timeAggregation, operator, threshold, autoMitigate, actionGroups, skip);
        }

        public Rule withLocation(String newLocation) {
            return new Rule(newLocation, displayName, description, severity, enabled, scopes, evaluationFrequency,
                    windowSize, query, dimension, timeAggregation, operator, threshold, autoMitigate, actionGroups,
                    skipQueryValidation);
        }

        /** ARM ids compare case-insensitively: the service returns some segments lower-cased. */
        static boolean containsId(List<String> ids, String id) {
            return ids.stream().anyMatch(candidate -> candidate.toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT)));
        }
    }
}
