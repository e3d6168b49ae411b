package dev.breakglass.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations docs/openapi.yaml declares, read as data so that a test picks up every route and status added to
 * the document: method, path template, parameters, request body schema and declared response statuses, with
 * {@code $ref}s resolved.
 */
final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    record Operation(String method, String path, String operationId, List<Parameter> parameters, JsonNode bodySchema,
            Set<Integer> statuses) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    static OpenApiDocument load() {
        try {
            return new OpenApiDocument(new YAMLMapper().readTree(Path.of("docs/openapi.yaml").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(entry -> {
                if (METHODS.contains(entry.getKey())) {
                    operations.add(operation(entry.getKey().toUpperCase(), path.getKey(), entry.getValue()));
                }
            });
        }
        return operations;
    }

    private Operation operation(String method, String path, JsonNode node) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode parameter : node.path("parameters")) {
            JsonNode p = resolve(parameter);
            parameters.add(new Parameter(p.path("name").asText(), p.path("in").asText(), p.path("required").asBoolean(),
                    resolve(p.path("schema"))));
        }
        JsonNode body = resolve(node.path("requestBody")).path("content").path("application/json").path("schema");
        Set<Integer> statuses = new TreeSet<>();
        node.path("responses").fieldNames().forEachRemaining(status -> statuses.add(Integer.parseInt(status)));
        return new Operation(method, path, node.path("operationId").asText(), List.copyOf(parameters),
                body.isMissingNode() ? null : resolve(body), Set.copyOf(statuses));
    }

    /** Follows a local {@code $ref} ("#/components/..."); anything else is returned as it is. */
    JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            current = root.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }
}
