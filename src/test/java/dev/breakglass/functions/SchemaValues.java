package dev.breakglass.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Values for an OpenAPI schema: valid ones (enum members, UUIDs, strings within maxLength, booleans, objects with a
 * random subset of their properties), and the mutations a hostile or broken client sends (wrong types, unknown
 * properties, huge or odd strings, a body that is not an object).
 */
final class SchemaValues {

    /** Strings that have broken parsers, path handling, table queries or logs elsewhere. */
    static final List<String> ODD = List.of("", " ", "..", "../../admin", "..%2F..%2Fadmin", "%00", "\u0000",
            "a\r\nSet-Cookie: x=1", "\u202Eevil", "' or 1 eq 1 or '", "PartitionKey eq 'runs'", "<script>x</script>",
            "{\"$ref\":\"#\"}", "\uD83D\uDE00", "x".repeat(10_000), "00000000-0000-0000-0000-000000000000",
            "0E0B1D10-9F62-4F6A-9B4E-6B7A7A0F0F0F");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;
    private final Supplier<List<String>> knownIds;

    /** @param knownIds UUIDs worth reusing (runs handed out so far), so valid ids hit real resources */
    SchemaValues(Random random, Supplier<List<String>> knownIds) {
        this.random = random;
        this.knownIds = knownIds;
    }

    JsonNode valid(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        switch (schema.path("type").asText("string")) {
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            case "integer":
                return NODES.numberNode(random.nextInt(100));
            case "object": {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(property -> {
                    if (random.nextBoolean() || schema.path("required").toString().contains("\"" + property.getKey())) {
                        object.set(property.getKey(), valid(property.getValue()));
                    }
                });
                return object;
            }
            default:
                return NODES.textNode(validString(schema));
        }
    }

    private String validString(JsonNode schema) {
        if ("uuid".equals(schema.path("format").asText())) {
            List<String> ids = knownIds.get();
            return ids.isEmpty() || random.nextInt(4) == 0 ? UUID.randomUUID().toString()
                    : ids.get(random.nextInt(ids.size()));
        }
        if (schema.has("example") && random.nextBoolean()) {
            return schema.get("example").asText();
        }
        int max = Math.min(schema.path("maxLength").asInt(40), 40);
        int min = Math.max(schema.path("minLength").asInt(1), 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = min + random.nextInt(Math.max(1, max - min + 1)); i < n; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    String odd() {
        return ODD.get(random.nextInt(ODD.size()));
    }

    /** A body that breaks {@code schema} in one way, as JSON text (or not JSON at all). */
    String mutatedBody(JsonNode schema) {
        JsonNode valid = valid(schema);
        if (!(valid instanceof ObjectNode object)) {
            return odd();
        }
        List<String> names = new java.util.ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        String victim = names.isEmpty() ? "x" : names.get(random.nextInt(names.size()));
        switch (random.nextInt(6)) {
            case 0:
                object.set(victim, List.of(NODES.numberNode(12345), NODES.arrayNode(), NODES.objectNode(),
                        NODES.textNode("true"), NODES.nullNode(), NODES.numberNode(1e308)).get(random.nextInt(6)));
                return object.toString();
            case 1:
                object.put(List.of("role", "principalId", "__proto__", "workspaceId", "").get(random.nextInt(5)),
                        "Global Administrator");
                return object.toString();
            case 2:
                object.put(victim, "y".repeat(10_000 + random.nextInt(40_000)));
                return object.toString();
            case 3:
                object.put(victim, odd());
                return object.toString();
            case 4:
                return List.of("[]", "null", "\"text\"", "{", "{\"reason\":", "[".repeat(600), "\uFEFF{}")
                        .get(random.nextInt(7));
            default:
                return odd();
        }
    }
}
