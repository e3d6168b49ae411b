package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The managed identity endpoint of App Service and Azure Functions, the one the platform names in
 * {@code IDENTITY_ENDPOINT}: {@code GET ?resource=...&api-version=2019-08-01} with the header
 * {@code X-IDENTITY-HEADER: <IDENTITY_HEADER>}, answering {@code {access_token, expires_on, resource, token_type,
 * client_id}} with {@code expires_on} in seconds since the epoch
 * (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference). The token is
 * the fake tenant's one bearer token. Error bodies and the 401 for a wrong header are plausible, not recorded.
 * Faults are planned per request, in order: a 500, or an answer that hangs past the caller's timeout.
 */
public final class ManagedIdentityEndpoint implements HttpHandler {

    static final String PATH = "/msi/token";
    private static final String API_VERSION = "2019-08-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String origin;
    private final String token;
    private final String header = randomHeader();
    private final String clientId = UUID.randomUUID().toString();
    private final Queue<Duration> planned = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    ManagedIdentityEndpoint(String origin, String token) {
        this.origin = origin;
        this.token = token;
    }

    /** What the platform puts in {@code IDENTITY_ENDPOINT}. */
    public String endpoint() {
        return origin + PATH;
    }

    /** What the platform puts in {@code IDENTITY_HEADER}: a per-start secret the caller echoes. */
    public String header() {
        return header;
    }

    /** The next request is answered 500. */
    public ManagedIdentityEndpoint thenServerError() {
        planned.add(Duration.ZERO);
        return this;
    }

    /** The next request gets its token only after {@code delay} (a hang, for a caller with a shorter timeout). */
    public ManagedIdentityEndpoint thenHang(Duration delay) {
        planned.add(delay);
        return this;
    }

    /** Every request so far, in order of arrival, as what it got: {@code "500"}, {@code "hang"} or the status. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Duration fault = planned.poll();
            if (fault != null && fault.isZero()) {
                requests.add("500");
                send(exchange, 500, error("unknown_error", "An unexpected error occurred."));
                return;
            }
            if (fault != null) {
                requests.add("hang");
                sleep(fault);
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (!"GET".equals(exchange.getRequestMethod()) || !header.equals(exchange.getRequestHeaders()
                    .getFirst("X-IDENTITY-HEADER"))) {
                arrived(fault, "401");
                send(exchange, 401, error("unauthorized", "The X-IDENTITY-HEADER header is missing or wrong."));
            } else if (!API_VERSION.equals(query.get("api-version")) || query.get("resource") == null) {
                arrived(fault, "400");
                send(exchange, 400, error("invalid_request", "api-version 2019-08-01 and resource are required."));
            } else {
                ObjectNode body = JSON.createObjectNode()
                        .put("access_token", token)
                        .put("expires_on", Long.toString(Instant.now().plus(Duration.ofHours(1)).getEpochSecond()))
                        .put("resource", query.get("resource"))
                        .put("token_type", "Bearer")
                        .put("client_id", clientId);
                arrived(fault, "200");
                send(exchange, 200, body);
            }
        }
    }

    private void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException callerGone) {
            // a hung request's caller has given up
        }
    }

    private void arrived(Duration fault, String status) {
        if (fault == null) {
            requests.add(status);
        }
    }

    private static ObjectNode error(String code, String description) {
        return JSON.createObjectNode().put("error", code).put("error_description", description);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static String randomHeader() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
