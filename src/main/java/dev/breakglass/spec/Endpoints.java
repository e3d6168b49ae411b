package dev.breakglass.spec;

import java.net.URI;

/**
 * The hosts breakglass talks to. The same settings that select a national cloud select the embedded
 * fake tenant, so no client is ever built differently for tests.
 *
 * @param graph         Microsoft Graph base URL including the version segment, e.g. {@code https://graph.microsoft.com/v1.0}
 * @param resourceManager Azure Resource Manager endpoint, e.g. {@code https://management.azure.com}
 */
public record Endpoints(URI graph, URI resourceManager) {

    public static final URI PUBLIC_GRAPH = URI.create("https://graph.microsoft.com/v1.0");
    public static final URI PUBLIC_RESOURCE_MANAGER = URI.create("https://management.azure.com");

    /** Scope for a Graph token: the Graph host's {@code /.default}. */
    public String graphScope() {
        return graph.getScheme() + "://" + graph.getHost() + "/.default";
    }
}
