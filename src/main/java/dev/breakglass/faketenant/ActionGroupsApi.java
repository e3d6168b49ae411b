package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code Microsoft.Insights/actionGroups} (api-contracts/arm/actionGroups_2021-09-01.trimmed.json and the recorded
 * 2022-06-01 traffic): PUT replaces the whole group, 201 on create and 200 on update; the response echoes every
 * receiver array ({@code []} when empty), {@code "kind":null}, {@code "identity":null}, {@code location} "Global",
 * and an id whose provider segment is lower-case; errors are flat {@code {code, message}}.
 */
final class ActionGroupsApi {

    static final List<String> API_VERSIONS = List.of("2021-09-01", "2022-04-01", "2022-06-01", "2023-01-01");
    static final int MAX_SHORT_NAME = 12;
    /** Every receiver array of the 2022-06-01 shape, in the order the service returns them. */
    static final List<String> RECEIVER_ARRAYS = List.of("emailReceivers", "smsReceivers", "webhookReceivers",
            "eventHubReceivers", "itsmReceivers", "azureAppPushReceivers", "automationRunbookReceivers", "voiceReceivers",
            "logicAppReceivers", "azureFunctionReceivers", "armRoleReceivers");

    private final ArmStore store;
    private final ArmBody rules = new ArmBody(message -> ApiError.flat(400, "BadRequest", message));

    ActionGroupsApi(ArmStore store) {
        this.store = store;
    }

    Reply handle(Call call, String resourceGroup, String name) {
        String key = ArmStore.key(resourceGroup, name);
        ObjectNode existing = store.actionGroups.get(key);
        switch (call.method) {
            case "GET":
                if (existing == null) {
                    throw ApiError.flat(404, "ResourceNotFound",
                            ArmService.resourceNotFound("Microsoft.Insights/actionGroups", resourceGroup, name));
                }
                return Reply.json(200, existing.deepCopy());
            case "PUT":
                ObjectNode stored = normalise(call.jsonBody(), resourceGroup, existing == null ? name : existing.get("name").asText());
                store.actionGroups.put(key, stored);
                return Reply.json(existing == null ? 201 : 200, stored.deepCopy());
            case "DELETE":
                return Reply.empty(store.actionGroups.remove(key) == null ? 204 : 200);
            default:
                throw ApiError.flat(405, "MethodNotAllowed", "The requested method is not allowed on this resource.");
        }
    }

    private ObjectNode normalise(ObjectNode body, String resourceGroup, String name) {
        String location = body.path("location").asText("");
        if (location.isEmpty()) {
            throw ApiError.of(400, "LocationRequired", "The location property is required for this definition.");
        }
        ObjectNode given = rules.object(body, "properties", "properties");
        String shortName = rules.string(given, "groupShortName", "properties.groupShortName");
        if (shortName.length() > MAX_SHORT_NAME) {
            throw rules.invalid("The property 'properties.groupShortName' must be at most " + MAX_SHORT_NAME
                    + " characters long, got '" + shortName + "'.");
        }
        ObjectNode properties = Json.object();
        properties.put("groupShortName", shortName);
        properties.put("enabled", rules.bool(given, "enabled", "properties.enabled"));
        Set<String> names = new HashSet<>();
        for (String array : RECEIVER_ARRAYS) {
            ArrayNode receivers = properties.putArray(array);
            ArrayNode sent = rules.optionalArray(given, array, "properties." + array);
            if (sent == null) {
                continue;
            }
            for (int i = 0; i < sent.size(); i++) {
                String path = "properties." + array + "[" + i + "]";
                if (!sent.get(i).isObject()) {
                    throw rules.invalid("The property '" + path + "' must be an object.");
                }
                ObjectNode receiver = receiver(array, (ObjectNode) sent.get(i), path);
                if (!names.add(receiver.get("name").asText().toLowerCase(Locale.ROOT))) {
                    throw rules.invalid("The receiver name '" + receiver.get("name").asText()
                            + "' is used more than once; names must be unique across all receivers of an action group.");
                }
                receivers.add(receiver);
            }
        }
        ObjectNode stored = Json.object();
        stored.put("id", "/subscriptions/" + store.subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/microsoft.insights/actionGroups/" + name);
        stored.put("type", "Microsoft.Insights/ActionGroups");
        stored.put("name", name);
        stored.put("location", location.equalsIgnoreCase("global") ? "Global" : location);
        stored.putNull("kind");
        JsonNode tags = body.get("tags");
        stored.set("tags", tags != null && tags.isObject() ? tags.deepCopy() : null);
        stored.set("properties", properties);
        stored.putNull("identity");
        return stored;
    }

    /** One receiver in its response shape: required fields checked, defaults filled in, read-only status added. */
    private ObjectNode receiver(String array, ObjectNode sent, String path) {
        ObjectNode out = Json.object();
        out.put("name", rules.string(sent, "name", path + ".name"));
        switch (array) {
            case "emailReceivers":
                out.put("emailAddress", rules.string(sent, "emailAddress", path + ".emailAddress"));
                out.put("useCommonAlertSchema", rules.optionalBool(sent, "useCommonAlertSchema", path + ".useCommonAlertSchema", false));
                out.put("status", "Enabled");
                return out;
            case "smsReceivers":
                out.put("countryCode", rules.string(sent, "countryCode", path + ".countryCode"));
                out.put("phoneNumber", rules.string(sent, "phoneNumber", path + ".phoneNumber"));
                out.put("status", "Enabled");
                return out;
            case "webhookReceivers":
                out.put("serviceUri", rules.string(sent, "serviceUri", path + ".serviceUri"));
                out.put("useCommonAlertSchema", rules.optionalBool(sent, "useCommonAlertSchema", path + ".useCommonAlertSchema", false));
                out.put("useAadAuth", rules.optionalBool(sent, "useAadAuth", path + ".useAadAuth", false));
                for (String field : List.of("objectId", "identifierUri", "tenantId")) {
                    out.set(field, sent.hasNonNull(field) ? sent.get(field).deepCopy() : null);
                }
                return out;
            case "logicAppReceivers":
                out.put("resourceId", rules.string(sent, "resourceId", path + ".resourceId"));
                out.put("callbackUrl", rules.string(sent, "callbackUrl", path + ".callbackUrl"));
                out.put("useCommonAlertSchema", rules.optionalBool(sent, "useCommonAlertSchema", path + ".useCommonAlertSchema", false));
                return out;
            default:
                out.setAll(sent.deepCopy());
                return out;
        }
    }
}
