package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code Microsoft.Insights/scheduledQueryRules} (api-contracts/arm/scheduledQueryRules_2021-08-01.trimmed.json,
 * the 2023-12-01 delta and the recorded 2021-08-01 traffic): PUT 201/200 with {@code systemData} and
 * {@code createdWithApiVersion}, {@code severity} a JSON number (a numeric string is accepted: the 2021-08-01 and
 * 2022-06-15 specs type it as a string enum, and the Java SDK sends it so), {@code threshold} a double, and an id
 * whose provider and type segments are lower-case. Like the service, the query is validated against the
 * workspace unless {@code skipQueryValidation} is true: a table that holds no data yet fails the PUT.
 */
final class ScheduledQueryRulesApi {

    static final List<String> API_VERSIONS = List.of("2021-08-01", "2022-06-15", "2023-12-01");
    private static final List<String> KINDS = List.of("LogAlert", "LogToMetric");
    private static final List<String> AGGREGATIONS = List.of("Count", "Average", "Minimum", "Maximum", "Total");
    private static final List<String> OPERATORS = List.of("Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual");
    private static final List<String> DIMENSION_OPERATORS = List.of("Include", "Exclude");
    private static final Pattern WORKSPACE_SCOPE = Pattern.compile("(?i).*/providers/microsoft\\.operationalinsights/workspaces/[^/]+");

    private final ArmStore store;
    private final ArmBody rules = new ArmBody(message -> ApiError.of(400, "BadRequest", message));

    ScheduledQueryRulesApi(ArmStore store) {
        this.store = store;
    }

    Reply handle(Call call, String resourceGroup, String name) {
        String key = ArmStore.key(resourceGroup, name);
        ObjectNode existing = store.alertRules.get(key);
        switch (call.method) {
            case "GET":
                if (existing == null) {
                    throw ApiError.of(404, "ResourceNotFound",
                            ArmService.resourceNotFound("Microsoft.Insights/scheduledqueryrules", resourceGroup, name));
                }
                return Reply.json(200, existing.deepCopy());
            case "PUT":
                ObjectNode stored = normalise(call.jsonBody(), resourceGroup, name, existing, call.query.get("api-version"));
                store.alertRules.put(key, stored);
                return Reply.json(existing == null ? 201 : 200, stored.deepCopy());
            case "DELETE":
                return Reply.empty(store.alertRules.remove(key) == null ? 204 : 200);
            default:
                throw ApiError.of(405, "MethodNotAllowed", "The requested method is not allowed on this resource.");
        }
    }

    private ObjectNode normalise(ObjectNode body, String resourceGroup, String name, ObjectNode existing, String apiVersion) {
        String location = body.path("location").asText("");
        if (location.isEmpty()) {
            throw ApiError.of(400, "LocationRequired", "The location property is required for this definition.");
        }
        String kind = body.hasNonNull("kind") ? rules.oneOf(body, "kind", "kind", KINDS) : null;
        ObjectNode given = rules.object(body, "properties", "properties");
        ObjectNode properties = Json.object();
        properties.put("createdWithApiVersion", existing == null ? apiVersion
                : existing.at("/properties/createdWithApiVersion").asText(apiVersion));
        copyText(given, properties, "description");
        copyText(given, properties, "displayName");
        properties.put("severity", severity(given));
        properties.put("enabled", rules.bool(given, "enabled", "properties.enabled"));
        properties.put("evaluationFrequency", duration(given, "evaluationFrequency"));
        ArrayNode scopes = scopes(given);
        properties.set("scopes", scopes);
        properties.put("windowSize", duration(given, "windowSize"));
        ObjectNode criteria = criteria(given);
        properties.set("criteria", criteria);
        boolean autoMitigate = rules.optionalBool(given, "autoMitigate", "properties.autoMitigate", true);
        if (given.hasNonNull("muteActionsDuration")) {
            properties.put("muteActionsDuration", duration(given, "muteActionsDuration"));
            if (autoMitigate) {
                throw rules.invalid("Auto mitigation must be disabled when action suppression is set.");
            }
        }
        properties.put("autoMitigate", autoMitigate);
        properties.set("actions", actions(given));
        properties.put("checkWorkspaceAlertsStorageConfigured",
                rules.optionalBool(given, "checkWorkspaceAlertsStorageConfigured", "properties.checkWorkspaceAlertsStorageConfigured", false));
        boolean skipValidation = rules.optionalBool(given, "skipQueryValidation", "properties.skipQueryValidation", false);
        properties.put("skipQueryValidation", skipValidation);
        if (!skipValidation) {
            validateQueries(scopes, criteria);
        }

        ObjectNode stored = Json.object();
        stored.put("id", "/subscriptions/" + store.subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/microsoft.insights/scheduledqueryrules/" + (existing == null ? name : existing.get("name").asText()));
        stored.put("name", existing == null ? name : existing.get("name").asText());
        stored.put("type", "Microsoft.Insights/scheduledQueryRules");
        stored.put("location", location);
        if (body.get("tags") instanceof ObjectNode tags) {
            stored.set("tags", tags.deepCopy());
        }
        if (kind != null) {
            stored.put("kind", kind);
        }
        stored.set("systemData", systemData(existing));
        stored.set("properties", properties);
        return stored;
    }

    /** Validated, then echoed as sent ({@code P1D} stays {@code P1D}). */
    private String duration(ObjectNode given, String field) {
        rules.duration(given, field, "properties." + field);
        return given.get(field).asText();
    }

    private int severity(ObjectNode given) {
        JsonNode value = given.get("severity");
        String text = value == null ? "" : value.asText();
        if (value == null || !(value.isIntegralNumber() || value.isTextual()) || !text.matches("[0-4]")) {
            throw rules.invalid("The property 'properties.severity' is required and must be 0, 1, 2, 3 or 4.");
        }
        return Integer.parseInt(text);
    }

    private ArrayNode scopes(ObjectNode given) {
        ArrayNode scopes = rules.optionalArray(given, "scopes", "properties.scopes");
        if (scopes == null || scopes.isEmpty()) {
            throw rules.invalid("The property 'properties.scopes' is required and must list at least one resource id.");
        }
        for (JsonNode scope : scopes) {
            if (!scope.isTextual()) {
                throw rules.invalid("Every entry of 'properties.scopes' must be a resource id.");
            }
            if (WORKSPACE_SCOPE.matcher(scope.asText()).matches() && store.workspace(scope.asText()) == null) {
                throw rules.invalid("Scope '" + scope.asText() + "' was not found.");
            }
        }
        return scopes.deepCopy();
    }

    private ObjectNode criteria(ObjectNode given) {
        ObjectNode criteria = rules.object(given, "criteria", "properties.criteria");
        ArrayNode conditions = rules.optionalArray(criteria, "allOf", "properties.criteria.allOf");
        if (conditions == null || conditions.isEmpty()) {
            throw rules.invalid("The property 'properties.criteria.allOf' must hold at least one condition.");
        }
        ObjectNode out = Json.object();
        ArrayNode allOf = out.putArray("allOf");
        for (int i = 0; i < conditions.size(); i++) {
            allOf.add(condition(conditions.get(i), "properties.criteria.allOf[" + i + "]"));
        }
        return out;
    }

    private ObjectNode condition(JsonNode sent, String path) {
        if (!sent.isObject()) {
            throw rules.invalid("The property '" + path + "' must be an object.");
        }
        ObjectNode out = Json.object();
        out.put("query", rules.string(sent, "query", path + ".query"));
        out.put("timeAggregation", rules.oneOf(sent, "timeAggregation", path + ".timeAggregation", AGGREGATIONS));
        ArrayNode dimensions = out.putArray("dimensions");
        ArrayNode sentDimensions = rules.optionalArray(sent, "dimensions", path + ".dimensions");
        if (sentDimensions != null) {
            for (int i = 0; i < sentDimensions.size(); i++) {
                JsonNode dimension = sentDimensions.get(i);
                String at = path + ".dimensions[" + i + "]";
                ObjectNode d = dimensions.addObject();
                d.put("name", rules.string(dimension, "name", at + ".name"));
                d.put("operator", rules.oneOf(dimension, "operator", at + ".operator", DIMENSION_OPERATORS));
                ArrayNode values = rules.optionalArray(dimension, "values", at + ".values");
                if (values == null) {
                    throw rules.invalid("The property '" + at + ".values' is required.");
                }
                d.set("values", values.deepCopy());
            }
        }
        copyText(sent, out, "resourceIdColumn");
        copyText(sent, out, "metricMeasureColumn");
        out.put("operator", rules.oneOf(sent, "operator", path + ".operator", OPERATORS));
        out.put("threshold", rules.number(sent, "threshold", path + ".threshold"));
        out.set("failingPeriods", failingPeriods(sent, path));
        return out;
    }

    private ObjectNode failingPeriods(JsonNode sent, String path) {
        JsonNode given = sent.path("failingPeriods");
        long evaluations = given.path("numberOfEvaluationPeriods").asLong(1);
        long failing = given.path("minFailingPeriodsToAlert").asLong(1);
        if (evaluations < 1 || failing < 1 || failing > evaluations) {
            throw rules.invalid("The property '" + path + ".failingPeriods' must have 1 <= minFailingPeriodsToAlert <= "
                    + "numberOfEvaluationPeriods.");
        }
        return Json.object().put("numberOfEvaluationPeriods", evaluations).put("minFailingPeriodsToAlert", failing);
    }

    private ObjectNode actions(ObjectNode given) {
        ObjectNode out = Json.object();
        JsonNode actions = given.path("actions");
        ArrayNode groups = out.putArray("actionGroups");
        ArrayNode sent = actions.isObject() ? rules.optionalArray(actions, "actionGroups", "properties.actions.actionGroups") : null;
        if (sent != null) {
            sent.forEach(id -> groups.add(id.asText()));
        }
        JsonNode custom = actions.path("customProperties");
        out.set("customProperties", custom.isObject() ? custom.deepCopy() : Json.object());
        return out;
    }

    /** The service runs the query against each workspace in scope; a table with no data yet does not resolve. */
    private void validateQueries(ArrayNode scopes, ObjectNode criteria) {
        for (JsonNode scope : scopes) {
            ArmStore.Workspace workspace = store.workspace(scope.asText());
            if (workspace == null) {
                continue;
            }
            for (JsonNode condition : criteria.get("allOf")) {
                String query = condition.get("query").asText();
                for (String table : ArmStore.ENTRA_TABLES) {
                    if (Pattern.compile("\\b" + table + "\\b").matcher(query).find() && !workspace.tables.contains(table)) {
                        throw rules.invalid("The query is invalid: 'where' operator: Failed to resolve table or column "
                                + "expression named '" + table + "'");
                    }
                }
            }
        }
    }

    private static ObjectNode systemData(ObjectNode existing) {
        String now = Instant.now().toString();
        ObjectNode data = existing == null ? Json.object() : ((ObjectNode) existing.get("systemData")).deepCopy();
        if (existing == null) {
            data.put("createdBy", "breakglass").put("createdByType", "Application").put("createdAt", now);
        }
        data.put("lastModifiedBy", "breakglass").put("lastModifiedByType", "Application").put("lastModifiedAt", now);
        return data;
    }

    private static void copyText(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.put(field, from.get(field).asText());
        }
    }
}
