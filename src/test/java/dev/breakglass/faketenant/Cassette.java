package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One vcrpy cassette from {@code src/test/resources/recordings} (real traffic recorded by azure-cli), read as it is:
 * every interaction's request method and URI, and its response status, headers and body text.
 */
public final class Cassette {

    /** One recorded request and its answer. */
    public record Interaction(String method, URI uri, int status, Map<String, String> headers, String body) {

        /** The recorded path, decoded (matching is on method and path; the query differs by client version). */
        public String path() {
            return uri.getPath();
        }
    }

    private final String name;
    private final List<Interaction> interactions;

    private Cassette(String name, List<Interaction> interactions) {
        this.name = name;
        this.interactions = interactions;
    }

    public static Cassette load(String fileName) {
        try (InputStream in = Cassette.class.getResourceAsStream("/recordings/" + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + fileName);
            }
            List<Interaction> read = new ArrayList<>();
            for (JsonNode node : new YAMLMapper().readTree(in).get("interactions")) {
                read.add(interaction(node));
            }
            return new Cassette(fileName, List.copyOf(read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Interaction interaction(JsonNode node) {
        JsonNode response = node.get("response");
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").fields().forEachRemaining(header ->
                headers.put(header.getKey().toLowerCase(), header.getValue().get(0).asText()));
        // vcrpy writes the raw URI; '$filter=…' and users('…') are legal in a java.net.URI once spaces are escaped.
        URI uri = URI.create(node.get("request").get("uri").asText().replace(" ", "%20"));
        return new Interaction(node.get("request").get("method").asText(), uri,
                response.get("status").get("code").asInt(), headers, response.get("body").get("string").asText());
    }

    /** The {@code n}-th (0-based) recorded interaction with this method, so a test names what it replays. */
    public Interaction nth(String method, int n) {
        List<Interaction> matching = interactions.stream().filter(i -> i.method().equals(method)).toList();
        if (n >= matching.size()) {
            throw new IllegalArgumentException(name + " has no " + method + " #" + n);
        }
        return matching.get(n);
    }
}
