package dev.breakglass.faketenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** JSON plumbing shared by the fake's services: one mapper, tree nodes only. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
    }

    static ObjectNode parseObject(InputStream in) throws IOException {
        JsonNode node = MAPPER.readTree(in);
        if (!(node instanceof ObjectNode)) {
            throw new IOException("expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The text of a string field, or null when absent, null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** Follows a Graph property path such as {@code onPremisesExtensionAttributes/extensionAttribute15}. */
    static JsonNode path(JsonNode node, String slashPath) {
        JsonNode current = node;
        for (String part : slashPath.split("/")) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(part);
        }
        return current;
    }

    /**
     * Graph PATCH semantics: nested objects are merged member by member, while any other value,
     * arrays included, replaces the stored one wholesale. Microsoft Graph API guidelines,
     * "collection-properties": "to remove or update elements in a collection … the entire collection
     * must be replaced with a PATCH request" (https://github.com/microsoft/api-guidelines/blob/vNext/graph/articles/collection-properties.md).
     * OData instance annotations ({@code @odata.type}, {@code x@odata.context}) are not data and are skipped.
     */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.contains("@odata.")) {
                continue;
            }
            JsonNode value = field.getValue();
            JsonNode existing = target.get(name);
            if (value.isObject() && existing instanceof ObjectNode) {
                mergePatch((ObjectNode) existing, (ObjectNode) value);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }
}
