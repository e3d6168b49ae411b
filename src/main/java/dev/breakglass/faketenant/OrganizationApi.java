package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** {@code GET /domains} and {@code GET /subscribedSkus}: read-only tenant facts. */
final class OrganizationApi {
    private final GraphService graph;
    private final TenantState state;
    private final Settings settings;

    OrganizationApi(GraphService graph, TenantState state, Settings settings) {
        this.graph = graph;
        this.state = state;
        this.settings = settings;
    }

    Reply handle(Call call, List<String> path) {
        if (path.size() > 2) {
            throw GraphService.unknownSegment(path.get(2));
        }
        if (!call.method.equals("GET")) {
            throw GraphService.methodNotAllowed();
        }
        List<ObjectNode> items = path.get(0).equals("domains") ? state.directory.domains : state.directory.skus;
        if (path.size() == 2) {
            return items.stream().filter(i -> path.get(1).equalsIgnoreCase(Json.text(i, "id"))).findFirst()
                    .map(i -> graph.entity(200, path.get(0) + "/$entity", i.deepCopy()))
                    .orElseThrow(() -> ApiError.resourceNotFound(path.get(1)));
        }
        GraphList list = new GraphList(graph, call, settings);
        return Reply.json(200, list.page(path.get(0), items, select -> item -> project(item, select)));
    }

    private static ObjectNode project(JsonNode item, List<String> select) {
        if (select == null) {
            return (ObjectNode) item.deepCopy();
        }
        ObjectNode out = Json.object();
        out.set("id", item.get("id"));
        select.forEach(p -> out.set(p, item.has(p) ? item.get(p).deepCopy() : Json.object().nullNode()));
        return out;
    }
}
