package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /identity/conditionalAccess/policies}: list, get, create (201), update (204, empty body:
 * https://learn.microsoft.com/graph/api/conditionalaccesspolicy-update) and delete (204).
 */
final class ConditionalAccessApi {
    private static final String COLLECTION = "identity/conditionalAccess/policies";

    private final GraphService graph;
    private final TenantState state;
    private final Settings settings;

    ConditionalAccessApi(GraphService graph, TenantState state, Settings settings) {
        this.graph = graph;
        this.state = state;
        this.settings = settings;
    }

    Reply handle(Call call, List<String> path) {
        if (path.size() < 2 || !path.get(1).equals("conditionalAccess")) {
            throw GraphService.unknownSegment(path.size() < 2 ? "identity" : path.get(1));
        }
        if (path.size() == 3 && path.get(2).equals("evaluate")) {
            return evaluate(call);
        }
        if (path.size() < 3 || !path.get(2).equals("policies")) {
            throw GraphService.unknownSegment(path.size() < 3 ? "conditionalAccess" : path.get(2));
        }
        if (path.size() > 4) {
            throw GraphService.unknownSegment(path.get(4));
        }
        if (path.size() == 3) {
            switch (call.method) {
                case "GET":
                    List<JsonNode> all = state.policies.policies.values().stream().map(p -> (JsonNode) p).toList();
                    return Reply.json(200, new GraphList(graph, call, settings).page(COLLECTION, all, select -> p -> project(p, select)));
                case "POST":
                    ObjectNode created = state.policies.create(call.jsonBody(), Instant.now());
                    return graph.entity(201, COLLECTION + "/$entity", render(created));
                default:
                    throw GraphService.methodNotAllowed();
            }
        }
        ObjectNode policy = state.policies.policies.get(path.get(3).toLowerCase(Locale.ROOT));
        if (policy == null) {
            throw ApiError.of(404, "ResourceNotFound", "Resource '" + path.get(3) + "' does not exist.");
        }
        switch (call.method) {
            case "GET":
                return graph.entity(200, COLLECTION + "/$entity", project(policy, GraphService.selectOf(call)));
            case "PATCH":
                state.policies.patch(policy, call.jsonBody(), Instant.now());
                return Reply.empty(204);
            case "DELETE":
                state.policies.policies.remove(policy.get("id").asText());
                return Reply.empty(204);
            default:
                throw GraphService.methodNotAllowed();
        }
    }

    /** What If: POST only, 200 with a collection of whatIfAnalysisResult. */
    private Reply evaluate(Call call) {
        if (!call.method.equals("POST")) {
            throw GraphService.methodNotAllowed();
        }
        List<ObjectNode> rendered = state.policies.policies.values().stream().map(this::render).toList();
        ObjectNode body = Json.object();
        body.put("@odata.context", graph.context("Collection(microsoft.graph.whatIfAnalysisResult)"));
        body.set("value", new WhatIfEvaluator(state).evaluate(call.jsonBody(), rendered));
        return Reply.json(200, body);
    }

    private ObjectNode project(JsonNode policy, List<String> select) {
        ObjectNode rendered = render(policy);
        if (select == null) {
            return rendered;
        }
        ObjectNode out = Json.object();
        out.set("id", rendered.get("id"));
        select.forEach(p -> out.set(p, rendered.has(p) ? rendered.get(p) : Json.object().nullNode()));
        return out;
    }

    /**
     * Adds the {@code authenticationStrength@odata.context} annotation the real service puts in grantControls
     * even when authenticationStrength is null (captured GET in {@code docs_examples_and_captured_responses.json}).
     */
    private ObjectNode render(JsonNode stored) {
        ObjectNode policy = (ObjectNode) stored.deepCopy();
        if (policy.get("grantControls") instanceof ObjectNode grant) {
            ObjectNode annotated = Json.object();
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) grant::fields) {
                if (field.getKey().equals("authenticationStrength")) {
                    annotated.put("authenticationStrength@odata.context", graph.context(COLLECTION + "('" + policy.get("id").asText()
                            + "')/grantControls/authenticationStrength/$entity"));
                }
                annotated.set(field.getKey(), field.getValue());
            }
            policy.set("grantControls", annotated);
        }
        return policy;
    }
}
