package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed request: method, raw and decoded path segments, decoded query parameters, body.
 * Segments are split on the raw path first and decoded one by one, so a percent-encoded UPN such as
 * {@code %24alice%23x%40contoso.com} stays one segment.
 */
final class Call {
    final String method;
    final String path;
    final String rawQuery;
    final List<String> segments;
    final Map<String, String> query;
    final String authorization;
    final byte[] body;
    /** When the request arrived, before any injected latency. */
    final Instant received = Instant.now();

    Call(String method, URI uri, String authorization, byte[] body) {
        this.method = method;
        this.path = uri.getPath();
        this.rawQuery = uri.getRawQuery();
        this.segments = splitSegments(uri.getRawPath());
        this.query = parseQuery(uri.getRawQuery());
        this.authorization = authorization;
        this.body = body;
    }

    /** Whether the request can change state: any method but GET and HEAD, except Graph's read-only What If action. */
    boolean isWrite() {
        boolean whatIf = method.equals("POST") && path.endsWith("/identity/conditionalAccess/evaluate");
        return !method.equals("GET") && !method.equals("HEAD") && !whatIf;
    }

    String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    /** The body as a JSON object; anything else is a 400 in the caller's envelope. */
    ObjectNode jsonBody() {
        try {
            JsonNode node = Json.parse(body);
            if (node instanceof ObjectNode) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            // answered below like a missing object
        }
        throw ApiError.of(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }

    private static List<String> splitSegments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            if (!raw.isEmpty()) {
                out.add(decode(raw));
            }
        }
        // Key Vault's "latest version" form GET /secrets/{name}/ keeps an empty last segment.
        if (rawPath.endsWith("/") && rawPath.length() > 1) {
            out.add("");
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
