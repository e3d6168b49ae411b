package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the SDK clients with recorded responses instead of a simulated tenant: each request gets the next answer
 * queued for its method and path (the query is not matched: client versions send other api-versions and
 * {@code $select}s, and the tests assert those differences from {@link #requests()}). Served over HTTPS with the
 * fake tenant's kind of certificate, so the clients are configured exactly as against the fake. Recorded absolute
 * URLs (nextLink, ids, the Key Vault challenge) are rewritten to this server's origins.
 */
public final class ReplayServer implements AutoCloseable {

    /** A response to send: the recorded one, or one a test derived from it (and says so). */
    public record Answer(int status, Map<String, String> headers, String body) {

        public static Answer of(Cassette.Interaction recorded) {
            return new Answer(recorded.status(), recorded.headers(), recorded.body());
        }

        public static Answer json(int status, String body) {
            return new Answer(status, Map.of("content-type", "application/json; charset=utf-8"), body);
        }

        /** The same answer with one more header (for a recording whose headers were trimmed; the caller says why). */
        public Answer withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, body);
        }

        /**
         * The same answer with a field no SDK knows added to the body and to every object nested in it: what a
         * service adding properties (as Graph and ARM do without a version change) would send.
         */
        public Answer withUnknownFields() {
            if (body.isBlank()) {
                return this;
            }
            try {
                JsonNode tree = JSON.readTree(body);
                addUnknownField(tree);
                return new Answer(status, headers, JSON.writeValueAsString(tree));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void addUnknownField(JsonNode node) {
            node.fields().forEachRemaining(field -> {
                if (!FREE_FORM_MAPS.contains(field.getKey())) {
                    addUnknownField(field.getValue());
                }
            });
            if (node.isArray()) {
                node.forEach(Answer::addUnknownField);
            }
            if (node instanceof ObjectNode object) {
                ObjectNode unknown = object.putObject(UNKNOWN_FIELD);
                ArrayNode values = unknown.putArray("values");
                values.add(1).add("two").addNull();
            }
        }
    }

    /** One request as received. */
    public record Request(String method, String host, String path, String rawPath, String rawQuery,
            String authorization, String body) {
    }

    /**
     * String-to-string maps ({@code tags}, ARM {@code customProperties}) get no unknown field: a new key there is data,
     * not a new property, and a non-string value is a type error (azure-json then silently drops the resource's
     * remaining fields: seen while writing this, with an object inside an action group's tags).
     */
    private static final java.util.Set<String> FREE_FORM_MAPS = java.util.Set.of("tags", "customProperties");
    /** The name of the field {@link Answer#withUnknownFields()} adds. */
    public static final String UNKNOWN_FIELD = "replayUnknownFieldFromTheFuture";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final SelfSignedCertificate tls = SelfSignedCertificate.mint();
    private final Map<String, Deque<Answer>> answers = new LinkedHashMap<>();
    private final Map<String, String> rewrites = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private Answer challenge;

    private ReplayServer() throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.createContext("/", this::handle);
        server.start();
    }

    public static ReplayServer start() {
        try {
            return new ReplayServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the replay server", e);
        }
    }

    /** {@code https://localhost:port}; {@code host} may be any name the certificate covers (localhost, *.vault.localhost). */
    public String origin(String host) {
        return "https://" + host + ":" + server.getAddress().getPort();
    }

    public X509Certificate certificate() {
        return tls.certificate();
    }

    /** Replaces a recorded origin (e.g. {@code https://graph.microsoft.com}) in every body and header sent. */
    public ReplayServer rewrite(String recorded, String replayed) {
        rewrites.put(recorded, replayed);
        return this;
    }

    /** Queues {@code answer} for the next {@code method} request on {@code path} (decoded, case-insensitive like ARM). */
    public synchronized ReplayServer answer(String method, String path, Answer answer) {
        answers.computeIfAbsent(key(method, path), k -> new ArrayDeque<>()).add(answer);
        return this;
    }

    /** Answers every request without an Authorization header with {@code answer} (Key Vault's recorded 401 challenge). */
    public synchronized ReplayServer challengeAnonymous(Answer answer) {
        this.challenge = answer;
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Queued answers nobody asked for: a test asserting on them proves every recorded response was replayed. */
    public synchronized List<String> unused() {
        List<String> left = new ArrayList<>();
        answers.forEach((key, queue) -> queue.forEach(a -> left.add(key)));
        return left;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Host"),
                    exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"), body);
            send(exchange, answerFor(request));
        }
    }

    private synchronized Answer answerFor(Request request) {
        requests.add(request);
        if (request.authorization() == null && challenge != null) {
            return challenge;
        }
        Deque<Answer> queue = answers.get(key(request.method(), request.path()));
        if (queue == null || queue.isEmpty()) {
            return Answer.json(599, "{\"replay\":\"no recorded answer for " + request.method() + " " + request.path()
                    + "\"}");
        }
        return queue.poll();
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> {
            if (!name.equals("content-length")) {
                exchange.getResponseHeaders().set(name, rewritten(value));
            }
        });
        byte[] bytes = rewritten(answer.body()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String rewritten(String text) {
        String out = text;
        for (Map.Entry<String, String> rewrite : rewrites.entrySet()) {
            out = out.replace(rewrite.getKey(), rewrite.getValue());
        }
        return out;
    }

    private static String key(String method, String path) {
        return method + " " + path.toLowerCase();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
