package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tenant-level Entra diagnostic settings, {@code /providers/microsoft.aadiam/diagnosticSettings[/{name}]} and
 * {@code …/diagnosticSettingsCategories} (api-contracts/arm/aadiam_diagnosticSettings_2017-04-01.trimmed.json): no
 * subscription in the path, PUT replaces the whole setting and answers 200 only (never 201), {@code logs[].enabled}
 * is required, {@code workspaceId} is a full ARM id, and errors use ARM's {@code {"error": {…}}} envelope.
 */
final class AadDiagnosticSettingsApi {

    static final List<String> API_VERSIONS = List.of("2017-04-01", "2017-04-01-preview");
    private static final String TYPE = "microsoft.aadiam/diagnosticSettings";
    /** ARM's own check of linked ids: a workspace GUID where its resource id belongs is the classic mistake. */
    private static final Pattern RESOURCE_ID = Pattern.compile("(?i)^/(subscriptions|providers)/.+");
    private static final List<String> DESTINATIONS = List.of("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId",
            "serviceBusRuleId");

    private final ArmStore store;
    private final ArmBody rules = new ArmBody(message -> ApiError.of(400, "BadRequest", message));

    AadDiagnosticSettingsApi(ArmStore store) {
        this.store = store;
    }

    /** @param path from {@code diagnosticSettings} or {@code diagnosticSettingsCategories} on */
    Reply handle(Call call, List<String> path) {
        String collection = path.get(0).toLowerCase(Locale.ROOT);
        if (collection.equals("diagnosticsettingscategories") && path.size() == 1) {
            requireGet(call);
            return Reply.json(200, categories());
        }
        if (!collection.equals("diagnosticsettings") || path.size() > 2) {
            throw ApiError.of(404, "InvalidResourceType", "The resource type '" + path.get(0)
                    + "' could not be found in the namespace 'microsoft.aadiam'.");
        }
        if (path.size() == 1) {
            requireGet(call);
            ObjectNode body = Json.object();
            ArrayNode value = body.putArray("value");
            store.diagnosticSettings.values().forEach(setting -> value.add(setting.deepCopy()));
            return Reply.json(200, body);
        }
        String name = path.get(1);
        String key = name.toLowerCase(Locale.ROOT);
        switch (call.method) {
            case "GET":
                ObjectNode setting = store.diagnosticSettings.get(key);
                if (setting == null) {
                    throw ApiError.of(404, "ResourceNotFound", "The diagnostic setting '" + name + "' was not found.");
                }
                return Reply.json(200, setting.deepCopy());
            case "PUT":
                ObjectNode existing = store.diagnosticSettings.get(key);
                ObjectNode stored = setting(existing == null ? name : existing.get("name").asText(), call.jsonBody());
                store.diagnosticSettings.put(key, stored);
                return Reply.json(200, stored.deepCopy());
            case "DELETE":
                return Reply.empty(store.diagnosticSettings.remove(key) == null ? 204 : 200);
            default:
                throw ApiError.of(405, "MethodNotAllowed", "The requested method is not allowed on this resource.");
        }
    }

    /** Validates a PUT body against the 2017-04-01 schema and returns the stored (and returned) resource. */
    ObjectNode setting(String name, ObjectNode body) {
        ObjectNode given = rules.object(body, "properties", "properties");
        ObjectNode properties = Json.object();
        boolean hasDestination = false;
        for (String destination : DESTINATIONS) {
            JsonNode value = given.get(destination);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual() || !RESOURCE_ID.matcher(value.asText()).matches()) {
                throw ApiError.of(400, "LinkedInvalidPropertyId", "Property id '" + value.asText() + "' at path 'properties."
                        + destination + "' is invalid. Expect fully qualified resource Id that start with "
                        + "'/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.");
            }
            properties.put(destination, value.asText());
            hasDestination = true;
        }
        if (!hasDestination) {
            throw rules.invalid("A diagnostic setting needs a destination: workspaceId, storageAccountId, "
                    + "eventHubAuthorizationRuleId or serviceBusRuleId.");
        }
        if (given.hasNonNull("eventHubName")) {
            properties.put("eventHubName", given.get("eventHubName").asText());
        }
        ArrayNode logs = properties.putArray("logs");
        ArrayNode sent = rules.optionalArray(given, "logs", "properties.logs");
        if (sent != null) {
            for (int i = 0; i < sent.size(); i++) {
                logs.add(log(sent.get(i), "properties.logs[" + i + "]"));
            }
        }
        ObjectNode stored = Json.object();
        stored.put("id", "/providers/" + TYPE + "/" + name);
        stored.put("type", TYPE);
        stored.put("name", name);
        stored.set("properties", properties);
        return stored;
    }

    private ObjectNode log(JsonNode sent, String path) {
        if (!sent.isObject()) {
            throw rules.invalid("The property '" + path + "' must be an object.");
        }
        String category = rules.string(sent, "category", path + ".category");
        if (!store.diagnosticCategories.contains(category)) {
            throw rules.invalid("Category '" + category + "' is not supported for this tenant.");
        }
        ObjectNode out = Json.object();
        out.put("category", category);
        out.put("enabled", rules.bool(sent, "enabled", path + ".enabled"));
        ObjectNode retention = out.putObject("retentionPolicy");
        JsonNode given = sent.get("retentionPolicy");
        if (given == null || given.isNull()) {
            retention.put("enabled", false).put("days", 0);
        } else {
            retention.put("enabled", rules.bool(given, "enabled", path + ".retentionPolicy.enabled"));
            JsonNode days = given.get("days");
            if (days == null || !days.isIntegralNumber() || days.asInt() < 0) {
                throw rules.invalid("The property '" + path + ".retentionPolicy.days' is required and must be 0 or more.");
            }
            retention.put("days", days.asInt());
        }
        return out;
    }

    private ObjectNode categories() {
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        for (String category : store.diagnosticCategories) {
            value.addObject()
                    .put("id", "/providers/microsoft.aadiam/diagnosticSettingsCategories/" + category)
                    .put("name", category)
                    .put("type", "microsoft.aadiam/diagnosticSettingsCategories")
                    .putObject("properties").put("categoryType", "Logs");
        }
        return body;
    }

    private static void requireGet(Call call) {
        if (!call.method.equals("GET")) {
            throw ApiError.of(405, "MethodNotAllowed", "The requested method is not allowed on this resource.");
        }
    }
}
