package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Graph collection GET: {@code $filter}, {@code $select}, {@code $top} and server-driven paging.
 * The next page is announced by an absolute {@code @odata.nextLink} carrying an opaque {@code $skiptoken};
 * clients must follow it verbatim (https://learn.microsoft.com/graph/paging).
 */
final class GraphList {
    private static final String TOKEN_PREFIX = "X'fake-";

    private final GraphService graph;
    private final Call call;
    private final ODataFilter filter;
    private final List<String> select;
    private final int pageSize;
    private final int offset;

    GraphList(GraphService graph, Call call, Settings settings) {
        this.graph = graph;
        this.call = call;
        String filterText = call.query.get("$filter");
        this.filter = filterText == null ? null : ODataFilter.parse(filterText);
        this.select = GraphService.selectOf(call);
        this.pageSize = settings.pageSize(top(call));
        this.offset = offset(call.query.get("$skiptoken"));
    }

    /**
     * Renders one page of {@code all}. {@code project} turns a stored entity into its wire form given the
     * $select list (null = default projection); filtering sees the full stored entity.
     */
    ObjectNode page(String contextFragment, List<? extends JsonNode> all, Function<List<String>, Function<JsonNode, ObjectNode>> project) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode entity : all) {
            if (filter == null || filter.test(entity)) {
                matching.add(entity);
            }
        }
        String fragment = select == null ? contextFragment : contextFragment + "(" + String.join(",", select) + ")";
        ObjectNode body = Json.object();
        body.put("@odata.context", graph.context(fragment));
        int end = Math.min(matching.size(), offset + pageSize);
        if (end < matching.size()) {
            body.put("@odata.nextLink", nextLink(end));
        }
        Function<JsonNode, ObjectNode> projector = project.apply(select);
        var value = body.putArray("value");
        for (JsonNode entity : matching.subList(Math.min(offset, matching.size()), end)) {
            value.add(projector.apply(entity));
        }
        return body;
    }

    private String nextLink(int nextOffset) {
        StringBuilder link = new StringBuilder(graph.baseUrl()).append(call.path.substring("/v1.0".length())).append('?');
        for (Map.Entry<String, String> param : call.query.entrySet()) {
            if (!param.getKey().equals("$skiptoken")) {
                link.append(encode(param.getKey())).append('=').append(encode(param.getValue())).append('&');
            }
        }
        String token = TOKEN_PREFIX + nextOffset;
        link.append("$skiptoken=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        return link.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$");
    }

    private static Integer top(Call call) {
        String top = call.query.get("$top");
        if (top == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(top.trim());
            if (n >= 1 && n <= 999) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        // Message as reported by Microsoft support (learn.microsoft.com/answers/questions/1129204).
        throw ApiError.badRequest("Invalid page size specified: '" + top + "'. Must be between 1 and 999 inclusive.");
    }

    private static int offset(String skipToken) {
        if (skipToken == null) {
            return 0;
        }
        try {
            String token = new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
            if (token.startsWith(TOKEN_PREFIX)) {
                return Integer.parseInt(token.substring(TOKEN_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("Invalid skip token '" + skipToken + "'.");
    }
}
